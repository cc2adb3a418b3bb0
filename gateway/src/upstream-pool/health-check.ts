// One grpc.health.v1.Health/Check call, spoken directly over HTTP/2 (the request and
// the answer are one small protobuf field each), so the pool needs no generated code.

import type { ClientHttp2Stream } from "node:http2";
import http2 from "node:http2";
import type { EndpointSessions } from "./endpoint-sessions.ts";

export interface HealthAnswer {
  readonly serving: boolean;
  /** Why not, for the log line and the UNAVAILABLE message. */
  readonly reason: string;
  /** No answer in time (or DEADLINE_EXCEEDED): the server may only be busy, not down. */
  readonly slow?: boolean;
}

const servingStatusNames = ["UNKNOWN", "SERVING", "NOT_SERVING", "SERVICE_UNKNOWN"];

/** Asks `sessions`' endpoint whether `service` is SERVING, within `timeoutMs`. */
export function checkHealth(
  sessions: EndpointSessions,
  service: string,
  timeoutMs: number,
): Promise<HealthAnswer> {
  return new Promise((resolve) => {
    let stream: ClientHttp2Stream;
    try {
      stream = sessions.request({
        ":method": "POST",
        ":path": "/grpc.health.v1.Health/Check",
        "content-type": "application/grpc",
        te: "trailers",
        "grpc-timeout": `${timeoutMs}m`,
      });
    } catch (error) {
      resolve({ serving: false, reason: (error as Error).message });
      return;
    }
    const chunks: Buffer[] = [];
    let status: string | undefined;
    let message = "";
    let failure: string | undefined;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      failure = `no health answer within ${timeoutMs} ms`;
      stream.close(http2.constants.NGHTTP2_CANCEL);
    }, timeoutMs);
    timer.unref();
    const readStatus = (headers: http2.IncomingHttpHeaders): void => {
      if (headers["grpc-status"] !== undefined) status = String(headers["grpc-status"]);
      message = String(headers["grpc-message"] ?? message);
    };
    stream.on("response", readStatus);
    stream.on("trailers", readStatus);
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    stream.on("error", (error: Error) => {
      failure ??= (error.cause as Error | undefined)?.message ?? error.message;
    });
    stream.on("close", () => {
      clearTimeout(timer);
      if (failure) resolve({ serving: false, reason: failure, slow: timedOut });
      else if (status !== "0") {
        resolve({
          serving: false,
          reason: `health check answered grpc-status ${status ?? "none"}${message ? `: ${decodeURIComponent(message)}` : ""}`,
          slow: status === "4",
        });
      } else {
        const answer = servingStatus(Buffer.concat(chunks));
        const name = servingStatusNames[answer] ?? String(answer);
        resolve({
          serving: answer === 1,
          reason: `health check for "${service}" answered ${name}`,
        });
      }
    });
    stream.end(requestFrame(service));
  });
}

/** A HealthCheckRequest { service = 1 } in its 5-byte gRPC frame. */
function requestFrame(service: string): Buffer {
  const name = Buffer.from(service, "utf8");
  const body = name.length > 0 ? Buffer.concat([Buffer.from([0x0a, name.length]), name]) : name;
  const prefix = Buffer.alloc(5);
  prefix.writeUInt32BE(body.length, 1);
  return Buffer.concat([prefix, body]);
}

/** HealthCheckResponse.status (field 1, a small varint) from one gRPC frame; 0 if absent. */
function servingStatus(frame: Buffer): number {
  const body = frame.subarray(5);
  for (let i = 0; i + 1 < body.length; i += 2) if (body[i] === 0x08) return body[i + 1] ?? 0;
  return 0;
}
