// A bare node:http2 server standing in for a gRPC server, to produce edge cases
// (trailers-only, resets, missing trailers, silence) and to record what arrives.
import { once } from "node:events";
import http2, {
  type IncomingHttpHeaders,
  type ServerHttp2Session,
  type ServerHttp2Stream,
} from "node:http2";
import type { AddressInfo } from "node:net";
import { encodeEnvelope } from "../../src/envelope.ts";

export type StreamHandler = (stream: ServerHttp2Stream, headers: IncomingHttpHeaders) => void;

export interface RawUpstream {
  readonly address: string;
  /** Request headers of every call, in arrival order. */
  readonly calls: IncomingHttpHeaders[];
  /** HTTP/2 connections accepted so far. */
  sessions(): number;
  /** Streams closed by the client with RST_STREAM CANCEL. */
  cancelled(): number;
  /** The server-side sessions, to send GOAWAY or drop them. */
  liveSessions(): ServerHttp2Session[];
  close(): Promise<void>;
}

export async function startRawUpstream(handler: StreamHandler): Promise<RawUpstream> {
  const server = http2.createServer();
  const calls: IncomingHttpHeaders[] = [];
  const live = new Set<ServerHttp2Session>();
  let sessions = 0;
  let cancelled = 0;
  server.on("session", (session) => {
    sessions += 1;
    live.add(session);
    session.on("close", () => live.delete(session));
    session.on("error", () => {});
  });
  server.on("stream", (stream, headers) => {
    calls.push(headers);
    stream.on("error", () => {});
    stream.on("close", () => {
      if (stream.rstCode === http2.constants.NGHTTP2_CANCEL) cancelled += 1;
    });
    handler(stream, headers);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    calls,
    sessions: () => sessions,
    cancelled: () => cancelled,
    liveSessions: () => [...live],
    async close() {
      for (const session of live) session.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Answers 200 application/grpc with the given messages and trailers. */
export function answer(
  stream: ServerHttp2Stream,
  messages: readonly Uint8Array[],
  trailers: Record<string, string> = { "grpc-status": "0" },
  headers: Record<string, string> = {},
): void {
  stream.respond(
    { ":status": 200, "content-type": "application/grpc", ...headers },
    { waitForTrailers: true },
  );
  stream.on("wantTrailers", () => stream.sendTrailers(trailers));
  for (const message of messages) stream.write(encodeEnvelope(0, message));
  stream.end();
}

/** Reads the whole request body. */
export async function readBody(stream: ServerHttp2Stream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
