// The soak's browser stand-in: binary or text gRPC-Web calls over a keep-alive
// agent (like a page's connection pool), each with its latency and outcome.
import http from "node:http";
import { Base64Decoder } from "../src/base64-stream.ts";
import { EnvelopeDecoder, encodeEnvelope, trailerFlag } from "../src/envelope.ts";
import { decodeGrpcMessage, decodeTrailerBlock } from "../src/trailer.ts";

export interface CallOutcome {
  /** grpc-status, or -1 when the call failed below gRPC (socket error, bad answer). */
  readonly status: number;
  readonly message: string;
  readonly messages: number;
  /** The first message of the answer, if any (what a unary call answered). */
  readonly firstMessage?: Buffer;
  readonly latencyMs: number;
  /** Ended on purpose by the caller (an injected cancellation). */
  readonly cancelled: boolean;
}

export interface CallOptions {
  readonly text: boolean;
  /** Abort once the first answer bytes arrive (a user leaving the page mid-stream). */
  readonly cancelAfterFirstBytes?: boolean;
  /** More request headers (authorization for writes). */
  readonly headers?: Readonly<Record<string, string>>;
}

export function callGrpcWeb(
  agent: http.Agent,
  port: number,
  path: string,
  message: Uint8Array,
  options: CallOptions,
): Promise<CallOutcome> {
  const started = performance.now();
  const framed = encodeEnvelope(0, message);
  const body = options.text ? Buffer.from(framed.toString("base64")) : framed;
  return new Promise((resolve) => {
    const done = (outcome: Omit<CallOutcome, "latencyMs">): void =>
      resolve({ ...outcome, latencyMs: performance.now() - started });
    const controller = new AbortController();
    const req = http.request({
      agent,
      host: "127.0.0.1",
      port,
      path,
      method: "POST",
      signal: controller.signal,
      headers: {
        "content-type": options.text ? "application/grpc-web-text" : "application/grpc-web+proto",
        accept: options.text ? "application/grpc-web-text" : "application/grpc-web",
        "x-grpc-web": "1",
        "grpc-timeout": "10S",
        ...options.headers,
      },
    });
    let cancelled = false;
    req.on("error", (error) => {
      done({ status: -1, message: error.message, messages: 0, cancelled });
    });
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => {
        chunks.push(chunk);
        if (options.cancelAfterFirstBytes && !cancelled) {
          cancelled = true;
          controller.abort();
        }
      });
      res.on("error", () => {}); // reported through req's error
      res.on("end", () => {
        try {
          done({ ...parseAnswer(res.headers, Buffer.concat(chunks)), cancelled });
        } catch (error) {
          done({ status: -1, message: (error as Error).message, messages: 0, cancelled });
        }
      });
    });
    req.end(body);
  });
}

function parseAnswer(
  headers: http.IncomingHttpHeaders,
  raw: Buffer,
): { status: number; message: string; messages: number; firstMessage?: Buffer } {
  let bytes = raw;
  if (String(headers["content-type"]).startsWith("application/grpc-web-text")) {
    const decoder = new Base64Decoder();
    bytes = decoder.push(raw);
    decoder.end();
  }
  const decoder = new EnvelopeDecoder();
  const frames = decoder.push(bytes);
  if (decoder.pending > 0) throw new Error(`answer ends inside a frame (${decoder.pending} bytes)`);
  let trailers: Record<string, string> = {};
  let messages = 0;
  let firstMessage: Buffer | undefined;
  for (const frame of frames) {
    if (frame.flags & trailerFlag) trailers = decodeTrailerBlock(frame.data);
    else {
      messages += 1;
      firstMessage ??= frame.data;
    }
  }
  const status = trailers["grpc-status"] ?? headers["grpc-status"];
  const message = trailers["grpc-message"] ?? headers["grpc-message"];
  return {
    status: status === undefined ? -1 : Number(status),
    message: decodeGrpcMessage(String(message ?? "")),
    messages,
    ...(firstMessage ? { firstMessage } : {}),
  };
}
