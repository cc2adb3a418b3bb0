// A bare gRPC-Web client over one HTTP/2 (TLS) session, as a browser talks to the
// gateway over HTTPS: several calls share the session.
import type { ClientHttp2Session, IncomingHttpHeaders } from "node:http2";
import { type GrpcWebResult, parseAnswer, requestBody } from "./grpc-web-request.ts";

export interface H2Answer {
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** Any request on the session; resolves with the response headers and whole body. */
export function h2Request(
  session: ClientHttp2Session,
  headers: Record<string, string>,
  body?: Buffer | string,
): Promise<H2Answer> {
  return new Promise((resolve, reject) => {
    const stream = session.request(headers, { endStream: body === undefined });
    const chunks: Buffer[] = [];
    let responseHeaders: IncomingHttpHeaders = {};
    stream.on("response", (received) => {
      responseHeaders = received;
    });
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    stream.on("end", () => resolve({ headers: responseHeaders, body: Buffer.concat(chunks) }));
    stream.on("error", reject);
    if (body !== undefined) stream.end(body);
  });
}

/** A gRPC-Web call (binary, or text with `text`) on the session. */
export async function callGrpcWebH2(
  session: ClientHttp2Session,
  path: string,
  messages: readonly Uint8Array[],
  options: { text?: boolean; headers?: Record<string, string>; body?: string } = {},
): Promise<GrpcWebResult> {
  const text = options.text ?? false;
  const answer = await h2Request(
    session,
    {
      ":method": "POST",
      ":path": path,
      "content-type": text ? "application/grpc-web-text" : "application/grpc-web+proto",
      accept: text ? "application/grpc-web-text" : "application/grpc-web",
      "x-grpc-web": "1",
      ...options.headers,
    },
    options.body ?? requestBody(messages, text),
  );
  return parseAnswer(Number(answer.headers[":status"]), answer.headers, answer.body);
}
