// A bare gRPC-Web client over node:http, so tests control every byte and header
// (the official runtime is exercised separately in grpc-web-runtime.test.ts).
import http, { type IncomingHttpHeaders } from "node:http";
import { Base64Decoder } from "../../src/base64-stream.ts";
import { EnvelopeDecoder, encodeEnvelope, trailerFlag } from "../../src/envelope.ts";
import { decodeGrpcMessage, decodeTrailerBlock } from "../../src/trailer.ts";

export interface GrpcWebRequestOptions {
  /** Send application/grpc-web-text (base64) and ask for text back. Default false. */
  readonly text?: boolean;
  /** Override the Accept-based choice of answer format. */
  readonly acceptText?: boolean;
  readonly headers?: Record<string, string>;
  /** Raw body pieces, each written separately (chunked); replaces the framed messages. */
  readonly body?: ReadonlyArray<Buffer | string>;
  readonly method?: string;
  /** Called with each raw response chunk as it arrives. */
  readonly onChunk?: (chunk: Buffer) => void;
  readonly signal?: AbortSignal;
  /** Connection pool to use (a keep-alive agent, say); Node's global agent by default. */
  readonly agent?: http.Agent;
}

export interface GrpcWebResult {
  readonly httpStatus: number;
  readonly headers: IncomingHttpHeaders;
  readonly messages: Buffer[];
  readonly trailers: Record<string, string>;
  /** grpc-status from the trailer frame, else from the headers (trailers-only); -1 if none. */
  readonly status: number;
  readonly message: string;
  readonly rawBody: Buffer;
}

/** Encodes messages as a gRPC-Web request body. */
export function requestBody(messages: readonly Uint8Array[], text: boolean): Buffer {
  const framed = Buffer.concat(messages.map((message) => encodeEnvelope(0, message)));
  return text ? Buffer.from(framed.toString("base64")) : framed;
}

export function callGrpcWeb(
  baseUrl: string,
  path: string,
  messages: readonly Uint8Array[],
  options: GrpcWebRequestOptions = {},
): Promise<GrpcWebResult> {
  const text = options.text ?? false;
  const acceptText = options.acceptText ?? text;
  const pieces = options.body ?? [requestBody(messages, text)];
  return new Promise((resolve, reject) => {
    const req = http.request(new URL(path, baseUrl), {
      method: options.method ?? "POST",
      headers: {
        "content-type": text ? "application/grpc-web-text" : "application/grpc-web+proto",
        accept: acceptText ? "application/grpc-web-text" : "application/grpc-web",
        "x-grpc-web": "1",
        ...options.headers,
      },
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.agent ? { agent: options.agent } : {}),
    });
    req.on("error", reject);
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => {
        chunks.push(chunk);
        options.onChunk?.(chunk);
      });
      res.on("error", reject);
      res.on("end", () => {
        try {
          resolve(parseAnswer(res.statusCode ?? 0, res.headers, Buffer.concat(chunks)));
        } catch (error) {
          reject(error);
        }
      });
    });
    for (const piece of pieces) req.write(piece);
    req.end();
  });
}

/** Splits an answer body into messages and trailers. */
export function parseAnswer(
  httpStatus: number,
  headers: IncomingHttpHeaders,
  rawBody: Buffer,
): GrpcWebResult {
  const contentType = String(headers["content-type"] ?? "");
  const isText = contentType.startsWith("application/grpc-web-text");
  // A plain-text refusal (403, 415 ...) has no frames to read.
  const isGrpcWeb = contentType.startsWith("application/grpc-web");
  const bytes = !isGrpcWeb ? Buffer.alloc(0) : isText ? decodeText(rawBody) : rawBody;
  const decoder = new EnvelopeDecoder();
  const frames = decoder.push(bytes);
  if (decoder.pending > 0) throw new Error(`answer ends inside a frame (${decoder.pending} bytes)`);
  const messages: Buffer[] = [];
  let trailers: Record<string, string> = {};
  for (const frame of frames) {
    if (frame.flags & trailerFlag) trailers = decodeTrailerBlock(frame.data);
    else messages.push(frame.data);
  }
  const statusText = trailers["grpc-status"] ?? headers["grpc-status"];
  const messageText = trailers["grpc-message"] ?? headers["grpc-message"];
  return {
    httpStatus,
    headers,
    messages,
    trailers,
    status: statusText === undefined ? -1 : Number(statusText),
    message: decodeGrpcMessage(String(messageText ?? "")),
    rawBody,
  };
}

function decodeText(body: Buffer): Buffer {
  const decoder = new Base64Decoder();
  const bytes = decoder.push(body);
  decoder.end();
  return bytes;
}
