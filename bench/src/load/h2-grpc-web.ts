// gRPC-Web over HTTP/2 (TLS), as a browser on an HTTPS page talks to the gateway: many calls
// share one connection. Calls that read everything, calls that never read, calls to cancel.
import { once } from "node:events";
import http2, { type ClientHttp2Session, type ClientHttp2Stream } from "node:http2";
import { performance } from "node:perf_hooks";
import {
  decodeTrailerBlock,
  EnvelopeDecoder,
  frameMessage,
  trailerFlag,
} from "@teams/gateway/grpc-frame";
import { protocolHeaders } from "./protocols.ts";

/** Browsers open at most about 100 streams on one HTTP/2 connection. */
export const streamsPerConnection = 100;

export interface BrowserOptions {
  readonly ca: Buffer;
  /**
   * The browser's window for each answer. 0: a tab that reads nothing, so whatever the
   * gateway cannot send stays in the gateway (a real browser's unread bytes sit in it).
   */
  readonly windowBytes?: number;
}

/** One HTTP/2 connection to the gateway at `url`. */
export async function connectBrowser(
  url: string,
  options: BrowserOptions,
): Promise<ClientHttp2Session> {
  const session = http2.connect(url, {
    ca: options.ca,
    peerMaxConcurrentStreams: streamsPerConnection,
    ...(options.windowBytes === undefined
      ? {}
      : { settings: { initialWindowSize: options.windowBytes } }),
  });
  session.on("error", () => {}); // a failed call reports on its stream
  await once(session, "connect");
  return session;
}

/** Starts a gRPC-Web call of `message` (already encoded) on `path`. */
export function startCall(
  session: ClientHttp2Session,
  path: string,
  message: Uint8Array,
): ClientHttp2Stream {
  const stream = session.request({
    ":method": "POST",
    ":path": path,
    ...protocolHeaders["grpc-web"],
  });
  stream.on("error", () => {}); // cancelled or reset: the caller asked for it or checks the count
  stream.end(frameMessage(message));
  return stream;
}

export interface CallOutcome {
  messages: number;
  grpcStatus: string;
  ms: number;
}

/** A whole call: counts its messages (without keeping them) and times it. */
export function timedCall(
  session: ClientHttp2Session,
  path: string,
  message: Uint8Array,
): Promise<CallOutcome> {
  const started = performance.now();
  const stream = startCall(session, path, message);
  const decoder = new EnvelopeDecoder();
  let messages = 0;
  let grpcStatus = "missing";
  stream.on("response", (headers) => {
    if (headers["grpc-status"] !== undefined) grpcStatus = String(headers["grpc-status"]);
  });
  stream.on("data", (chunk: Buffer) => {
    for (const frame of decoder.push(chunk)) {
      if ((frame.flags & trailerFlag) === 0) messages += 1;
      else grpcStatus = decodeTrailerBlock(frame.data)["grpc-status"] ?? grpcStatus;
    }
  });
  return new Promise((resolve) => {
    stream.once("close", () => resolve({ messages, grpcStatus, ms: performance.now() - started }));
  });
}

/**
 * `count` calls on connections of their own (100 streams each); resolves once all are sent.
 * `answered`: once every one has its response headers.
 */
export async function openCalls(
  url: string,
  options: BrowserOptions,
  count: number,
  path: string,
  message: Uint8Array,
): Promise<{ streams: ClientHttp2Stream[]; answered: Promise<void>; close(): void }> {
  const sessions: ClientHttp2Session[] = [];
  const streams: ClientHttp2Stream[] = [];
  // Listened for as each call starts: the first may answer before the last is sent.
  const answers: Promise<unknown>[] = [];
  for (let opened = 0; opened < count; opened += streamsPerConnection) {
    const session = await connectBrowser(url, options);
    sessions.push(session);
    for (let i = 0; i < Math.min(streamsPerConnection, count - opened); i++) {
      const stream = startCall(session, path, message);
      streams.push(stream);
      answers.push(once(stream, "response"));
    }
  }
  const close = (): void => {
    for (const session of sessions) session.destroy();
  };
  const answered = Promise.all(answers).then(() => {});
  answered.catch(() => {}); // awaited by callers that need it; a reset stream rejects it
  return { streams, answered, close };
}
