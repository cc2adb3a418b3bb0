// One gRPC-Web call: browser request -> upstream HTTP/2 stream -> browser answer.
import type { IncomingMessage, ServerResponse } from "node:http";
import http2, { type ClientHttp2Stream, type IncomingHttpHeaders } from "node:http2";
import { logCall } from "./access-log";
import { Base64Decoder, encodeBase64Chunk } from "./base64-stream";
import {
  isGrpcResponse,
  type RequestFormat,
  responseContentType,
  wantsTextResponse,
} from "./content-type";
import { RequestFrameScanner } from "./envelope";
import * as h from "./headers";
import type { Logger } from "./logger";
import { toBrowserHeaders, toUpstreamHeaders } from "./metadata";
import {
  Code,
  codeFromHttpStatus,
  codeFromRstCode,
  fromUpstreamError,
  GatewayError,
} from "./status";
import { isEnforceable, parseGrpcTimeout } from "./timeout";
import { encodeGrpcMessage, encodeTrailerFrame, type HeaderValues } from "./trailer";
import type { UpstreamSession } from "./upstream-session";

export interface CallContext {
  readonly upstream: UpstreamSession;
  readonly maxMessageBytes: number;
  readonly logger: Logger;
  /** CORS headers for this answer, given the metadata names it carries. */
  readonly corsHeaders: (metadataNames: readonly string[]) => Record<string, string>;
}

// Like Envoy, keep at most this much of a non-gRPC upstream answer as grpc-message.
const maxErrorBodyBytes = 16_384;

/** Serves one gRPC-Web call; never throws, every failure ends as a grpc-status. */
export function handleGrpcWebCall(
  req: IncomingMessage,
  res: ServerResponse,
  format: RequestFormat,
  context: CallContext,
): void {
  new GrpcWebCall(req, res, format, context).start();
}

class GrpcWebCall {
  readonly #req: IncomingMessage;
  readonly #res: ServerResponse;
  readonly #format: RequestFormat;
  readonly #context: CallContext;
  readonly #textOut: boolean;
  readonly #started = performance.now();
  #stream: ClientHttp2Stream | undefined;
  #deadline: NodeJS.Timeout | undefined;
  #finished = false;
  #bytesIn = 0;
  #bytesOut = 0;
  #trailers: IncomingHttpHeaders | undefined;
  #errorBody: { status: number; contentType: string; chunks: Buffer[]; size: number } | undefined;

  constructor(
    req: IncomingMessage,
    res: ServerResponse,
    format: RequestFormat,
    context: CallContext,
  ) {
    this.#req = req;
    this.#res = res;
    this.#format = format;
    this.#context = context;
    this.#textOut = wantsTextResponse(req.headers.accept);
  }

  start(): void {
    this.#res.once("close", () => this.#onBrowserGone());
    try {
      this.#startDeadline();
      const headers = toUpstreamHeaders(
        this.#req.url ?? "/",
        this.#req.headers.host ?? this.#context.upstream.address,
        this.#req.headers,
      );
      this.#stream = this.#context.upstream.request(headers);
    } catch (error) {
      this.#fail(fromUpstreamError(error, this.#context.upstream.address), true);
      return;
    }
    this.#relayResponse(this.#stream);
    this.#relayRequest(this.#stream);
  }

  #startDeadline(): void {
    const header = this.#req.headers[h.grpcTimeout];
    if (typeof header !== "string") return;
    const ms = parseGrpcTimeout(header);
    if (!isEnforceable(ms)) return;
    this.#deadline = setTimeout(() => {
      this.#fail(
        new GatewayError(
          Code.DEADLINE_EXCEEDED,
          `deadline exceeded: no complete answer within grpc-timeout ${header}; the gateway cancelled the call`,
        ),
      );
    }, ms);
  }

  // Browser -> upstream: decode text mode, check frames, keep backpressure.
  #relayRequest(stream: ClientHttp2Stream): void {
    const decoder = this.#format.text ? new Base64Decoder() : undefined;
    const scanner = new RequestFrameScanner(this.#context.maxMessageBytes);
    this.#req.on("data", (chunk: Buffer) => {
      if (this.#finished) return;
      this.#bytesIn += chunk.length;
      try {
        const bytes = decoder ? decoder.push(chunk) : chunk;
        scanner.push(bytes);
        if (bytes.length > 0 && !stream.write(bytes)) {
          this.#req.pause();
          stream.once("drain", () => this.#req.resume());
        }
      } catch (error) {
        this.#fail(fromUpstreamError(error, this.#context.upstream.address), true);
      }
    });
    this.#req.once("end", () => {
      if (this.#finished) return;
      try {
        decoder?.end();
        scanner.end();
        stream.end();
      } catch (error) {
        this.#fail(fromUpstreamError(error, this.#context.upstream.address), true);
      }
    });
  }

  // Upstream -> browser: headers, each data chunk as it arrives, trailers as the last frame.
  #relayResponse(stream: ClientHttp2Stream): void {
    stream.on("response", (headers) => this.#onResponseHeaders(headers));
    stream.on("data", (chunk: Buffer) => this.#onData(chunk));
    stream.on("trailers", (trailers) => {
      this.#trailers = trailers;
    });
    stream.on("end", () => this.#onUpstreamEnd());
    stream.on("error", (error) => {
      this.#fail(this.#streamFailure(stream, error));
    });
    stream.on("close", () => {
      if (this.#finished) return;
      if (this.#trailers && stream.rstCode === http2.constants.NGHTTP2_NO_ERROR) {
        this.#onUpstreamEnd();
        return;
      }
      this.#fail(this.#streamFailure(stream));
    });
  }

  #onResponseHeaders(headers: IncomingHttpHeaders): void {
    if (this.#finished) return;
    const status = Number(headers[":status"]);
    const contentType = headers[h.contentType];
    if (status !== 200 || !isGrpcResponse(contentType)) {
      this.#errorBody = {
        status,
        contentType: contentType ?? "no content type",
        chunks: [],
        size: 0,
      };
      return;
    }
    if (headers[h.grpcStatus] !== undefined) {
      // Trailers-only: the status is in the headers; pass them on as headers.
      this.#writeHead(headers);
      this.#finish(Number(headers[h.grpcStatus]), String(headers[h.grpcMessage] ?? ""));
      this.#res.end();
      return;
    }
    this.#writeHead(headers);
  }

  #onData(chunk: Buffer): void {
    if (this.#finished) return;
    const errorBody = this.#errorBody;
    if (errorBody) {
      if (errorBody.size < maxErrorBodyBytes) errorBody.chunks.push(chunk);
      errorBody.size += chunk.length;
      return;
    }
    if (!this.#res.headersSent) return; // data before headers is a protocol error; close handles it
    if (!this.#write(chunk)) {
      this.#stream?.pause();
      this.#res.once("drain", () => this.#stream?.resume());
    }
  }

  #onUpstreamEnd(): void {
    if (this.#finished) return;
    const errorBody = this.#errorBody;
    if (errorBody) {
      const body = Buffer.concat(errorBody.chunks)
        .subarray(0, maxErrorBodyBytes)
        .toString("utf8")
        .trim();
      const code = errorBody.status === 200 ? Code.UNKNOWN : codeFromHttpStatus(errorBody.status);
      this.#fail(
        new GatewayError(
          code,
          `upstream answered HTTP ${errorBody.status} (${errorBody.contentType}), not gRPC${body ? `: ${body}` : ""}`,
        ),
      );
      return;
    }
    const trailers = this.#trailers;
    if (!trailers || trailers[h.grpcStatus] === undefined) {
      const stream = this.#stream;
      const session = stream?.session;
      // A dropped connection also ends the stream; the client may retry that one.
      if (stream && (!session || session.destroyed || stream.rstCode)) {
        this.#fail(this.#streamFailure(stream));
        return;
      }
      // Node reports a reset that arrives after the request ended as a plain end, so
      // "closed early" and "reset" read the same here; both are INTERNAL.
      this.#fail(
        new GatewayError(
          Code.INTERNAL,
          "upstream ended the call without trailers (no grpc-status): it was reset or closed early",
        ),
      );
      return;
    }
    this.#write(encodeTrailerFrame(trailers as HeaderValues));
    this.#finish(Number(trailers[h.grpcStatus]), String(trailers[h.grpcMessage] ?? ""));
    this.#res.end();
  }

  #streamFailure(stream: ClientHttp2Stream, error?: Error): GatewayError {
    const session = stream.session;
    if (!session || session.destroyed || session.closed) {
      return fromUpstreamError(
        error ??
          Object.assign(new Error("connection lost during the call"), { code: "ECONNRESET" }),
        this.#context.upstream.address,
      );
    }
    const rstCode = stream.rstCode ?? http2.constants.NGHTTP2_INTERNAL_ERROR;
    return new GatewayError(
      codeFromRstCode(rstCode),
      `upstream ${this.#context.upstream.address} reset the call (HTTP/2 error code ${rstCode})`,
    );
  }

  #writeHead(upstreamHeaders: IncomingHttpHeaders): void {
    const { headers, metadataNames } = toBrowserHeaders(upstreamHeaders);
    this.#res.writeHead(200, {
      ...headers,
      [h.contentType]: responseContentType(this.#textOut),
      ...this.#context.corsHeaders(metadataNames),
    });
    this.#res.flushHeaders();
  }

  #write(bytes: Buffer): boolean {
    const out = this.#textOut ? encodeBase64Chunk(bytes) : bytes;
    this.#bytesOut += out.length;
    return this.#res.write(out);
  }

  /**
   * Ends the call with a gateway-made status: as headers (trailers-only) if nothing
   * was sent yet, else as the trailer frame. `closeConnection` is for bad requests,
   * whose unread body must not be taken as the next request.
   */
  #fail(error: GatewayError, closeConnection = false): void {
    if (this.#finished) return;
    const status = {
      [h.grpcStatus]: String(error.code),
      [h.grpcMessage]: encodeGrpcMessage(error.message),
    };
    this.#cancelUpstream();
    if (!this.#res.headersSent) {
      this.#res.writeHead(200, {
        ...status,
        [h.contentType]: responseContentType(this.#textOut),
        "content-length": "0",
        ...(closeConnection ? { connection: "close" } : {}),
        ...this.#context.corsHeaders([]),
      });
    } else {
      this.#write(encodeTrailerFrame(status));
    }
    this.#finish(error.code, error.message);
    this.#res.end();
  }

  #onBrowserGone(): void {
    if (this.#finished) return;
    this.#cancelUpstream();
    this.#finish(Code.CANCELLED, "the browser closed the connection before the call finished");
  }

  #cancelUpstream(): void {
    const stream = this.#stream;
    if (stream && !stream.closed && !stream.destroyed) stream.close(http2.constants.NGHTTP2_CANCEL);
  }

  #finish(grpcStatus: number, grpcMessage: string): void {
    this.#finished = true;
    clearTimeout(this.#deadline);
    logCall(this.#context.logger, {
      path: this.#req.url ?? "/",
      grpcStatus,
      ...(grpcMessage ? { grpcMessage } : {}),
      durationMs: performance.now() - this.#started,
      bytesIn: this.#bytesIn,
      bytesOut: this.#bytesOut,
      mode: this.#textOut ? "text" : "binary",
      ...(this.#req.headers.origin ? { origin: this.#req.headers.origin } : {}),
    });
  }
}
