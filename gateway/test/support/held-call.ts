// A gRPC-Web call over node:http whose answer the test can stop reading (so the
// stream stays in flight, held by backpressure) and whose request body it can
// send in pieces (so a unary call stays in flight before it reaches the server).
import http, { type IncomingMessage } from "node:http";
import { type GrpcWebResult, parseAnswer, requestBody } from "./grpc-web-request.ts";

export interface HeldCall {
  /** Resolves once the answer's headers and first body bytes have arrived. */
  readonly firstBytes: Promise<void>;
  /** Stops reading the answer (backpressure reaches the upstream). */
  pause(): void;
  resume(): void;
  /** Sends the rest of the request body and ends it. */
  finishBody(): void;
  /** The parsed answer once it ends. */
  readonly result: Promise<GrpcWebResult>;
}

/**
 * Starts a binary gRPC-Web call with one message. With `holdBody`, only the first
 * `holdBody` bytes of the body go out until finishBody().
 */
export function startHeldCall(
  baseUrl: string,
  path: string,
  message: Uint8Array,
  { holdBody = 0 } = {},
): HeldCall {
  const body = requestBody([message], false);
  const req = http.request(new URL(path, baseUrl), {
    method: "POST",
    headers: { "content-type": "application/grpc-web+proto", "x-grpc-web": "1" },
  });
  let response: IncomingMessage | undefined;
  const chunks: Buffer[] = [];
  let markFirst!: () => void;
  const firstBytes = new Promise<void>((resolve) => {
    markFirst = resolve;
  });
  const result = new Promise<GrpcWebResult>((resolve, reject) => {
    req.on("error", reject);
    req.on("response", (res) => {
      response = res;
      res.on("data", (chunk: Buffer) => {
        chunks.push(chunk);
        markFirst();
      });
      res.on("error", reject);
      res.on("end", () => {
        markFirst();
        try {
          resolve(parseAnswer(res.statusCode ?? 0, res.headers, Buffer.concat(chunks)));
        } catch (error) {
          reject(error);
        }
      });
    });
  });
  if (holdBody > 0) {
    req.write(body.subarray(0, holdBody));
    req.flushHeaders();
  } else {
    req.end(body);
  }
  return {
    firstBytes,
    pause: () => response?.pause(),
    resume: () => response?.resume(),
    finishBody: () => req.end(body.subarray(holdBody)),
    result,
  };
}
