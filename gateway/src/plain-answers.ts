// Answers the gateway writes itself, without calling the upstream: plain-text errors,
// CORS preflights, the trailers-only gRPC status, and the raw answer to a request Node
// could not parse.
import type { IncomingMessage, ServerResponse } from "node:http";
import { responseContentType } from "./content-type.ts";
import {
  allowedRequestHeaders,
  type CorsPolicy,
  exposedResponseHeaders,
  isOriginAllowed,
} from "./cors.ts";
import * as h from "./headers.ts";
import { connectionCloseHeader } from "./listener.ts";
import type { Code } from "./status.ts";
import { encodeGrpcMessage } from "./trailer.ts";

/** A short text/plain answer saying what to fix. */
export function plain(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, {
    "content-type": "text/plain; charset=utf-8",
    "x-content-type-options": "nosniff",
  });
  res.end(`${message}\n`);
}

/**
 * A gRPC status with no messages, as HTTP 200 headers ("trailers-only", as gRPC and
 * Envoy's local replies write it). `closeConnection` is for a request whose body was not
 * read: on HTTP/1.1 it must not be taken as the next request. The gateway's refusals
 * (services, drain) and a call's own failures before its answer started both use it.
 */
export function trailersOnly(
  res: ServerResponse,
  code: Code,
  message: string,
  textOut: boolean,
  extraHeaders: Record<string, string>,
  closeConnection = false,
): void {
  writeTrailersOnlyHead(res, code, message, textOut, extraHeaders, closeConnection);
  res.end();
}

/** The head of a trailers-only answer, not ended (the body may still be read first). */
export function writeTrailersOnlyHead(
  res: ServerResponse,
  code: Code,
  message: string,
  textOut: boolean,
  extraHeaders: Record<string, string>,
  closeConnection: boolean,
): void {
  res.writeHead(200, {
    [h.grpcStatus]: String(code),
    [h.grpcMessage]: encodeGrpcMessage(message),
    [h.contentType]: responseContentType(textOut),
    "content-length": "0",
    ...(closeConnection || !res.shouldKeepAlive ? connectionCloseHeader(res.req) : {}),
    ...extraHeaders,
  });
}

/** Answers a CORS preflight: 204 with the allowances, or 403 for an origin not allowed. */
export function preflight(req: IncomingMessage, res: ServerResponse, cors: CorsPolicy): void {
  const origin = req.headers.origin;
  if (!origin || !req.headers["access-control-request-method"]) {
    res.setHeader("allow", "GET, HEAD, POST, OPTIONS");
    res.writeHead(204).end();
    return;
  }
  if (!isOriginAllowed(cors, origin, req.headers.host)) {
    res.setHeader("vary", "Origin");
    plain(res, 403, `CORS: origin ${origin} is not allowed; add it to CORS_ORIGINS`);
    return;
  }
  res.writeHead(204, {
    "access-control-allow-origin": origin,
    "access-control-allow-methods": "POST, GET, OPTIONS",
    "access-control-allow-headers": allowedRequestHeaders(
      req.headers["access-control-request-headers"],
    ),
    "access-control-max-age": "86400",
    vary: "Origin, Access-Control-Request-Method, Access-Control-Request-Headers",
  });
  res.end();
}

/** CORS headers on an answer to an allowed origin, exposing its metadata names. */
export function actualCorsHeaders(
  origin: string,
  metadataNames: readonly string[],
): Record<string, string> {
  return {
    "access-control-allow-origin": origin,
    "access-control-expose-headers": exposedResponseHeaders(metadataNames),
    vary: "Origin",
  };
}

/**
 * The raw answer to a request Node could not parse or that came too slowly (the
 * handler never sees these): the status that fits, and what to fix.
 */
export function clientErrorAnswer(error: NodeJS.ErrnoException): string {
  const [status, reason, message] =
    error.code === "HPE_HEADER_OVERFLOW"
      ? [431, "Request Header Fields Too Large", "request line and headers exceed 16 KiB"]
      : error.code === "ERR_HTTP_REQUEST_TIMEOUT"
        ? [408, "Request Timeout", "request not received in time; send headers and body promptly"]
        : [400, "Bad Request", `malformed HTTP request (${error.code ?? error.message})`];
  const body = `${message}\n`;
  return `HTTP/1.1 ${status} ${reason}\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`;
}
