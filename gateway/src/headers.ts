// Header names the gateway reads, writes or drops, each with the reason.

/** Request and response content type: gRPC-Web towards the browser, gRPC upstream. */
export const contentType = "content-type";
/** Picks the answer's wire format (text when it asks for application/grpc-web-text). */
export const accept = "accept";
/** Call deadline; passed upstream and enforced by the gateway too. */
export const grpcTimeout = "grpc-timeout";
/** Call outcome, in trailers (or headers, for a trailers-only answer). */
export const grpcStatus = "grpc-status";
/** Percent-encoded status message. */
export const grpcMessage = "grpc-message";
/** google.rpc.Status, base64; passed through untouched. */
export const grpcStatusDetailsBin = "grpc-status-details-bin";
/** The request's message compression; without it, a compressed frame cannot be read. */
export const grpcEncoding = "grpc-encoding";
/** Compression the gateway can relay: identity only, as the browser cannot inflate frames. */
export const grpcAcceptEncoding = "grpc-accept-encoding";
/** Required by gRPC over HTTP/2; C-core servers refuse calls without it. */
export const te = "te";
/** Browser-side marker sent by grpc-web clients; meaningless upstream. */
export const xGrpcWeb = "x-grpc-web";
/** grpc-web's client version (browsers forbid setting user-agent); passed upstream like any metadata. */
export const xUserAgent = "x-user-agent";

/**
 * Dropped on the way upstream: HTTP/1.1 connection plumbing HTTP/2 forbids
 * (RFC 9113 8.2.2), framing that no longer applies, and fetch/CORS headers that
 * describe the browser's request rather than the call.
 */
export const requestHeadersNotForwarded: ReadonlySet<string> = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "transfer-encoding",
  "upgrade",
  "host", // becomes :authority
  "content-length", // the HTTP/1.1 body length; text mode changes it, HTTP/2 frames carry their own
  "te", // replaced by te: trailers
  "expect",
  "http2-settings",
  "accept", // read here to choose text or binary answers
  "accept-encoding", // HTTP/1.1 response compression, not gRPC compression
  "accept-language",
  "cache-control",
  "pragma",
  "origin", // decided here by CORS; the gRPC server has no use for it
  "referer",
  "priority",
  "dnt",
  "x-grpc-web",
  "access-control-request-method",
  "access-control-request-headers",
]);

/** Header name prefixes dropped on the way upstream (fetch metadata and proxy headers). */
export const requestHeaderPrefixesNotForwarded: readonly string[] = ["sec-", "proxy-"];

/**
 * Dropped on the way back: the gateway writes its own framing, content type and
 * CORS headers; HTTP/1.1 forbids nothing else a gRPC server would send.
 */
export const responseHeadersNotForwarded: ReadonlySet<string> = new Set([
  "content-type",
  "content-length",
  "connection",
  "keep-alive",
  "transfer-encoding",
  "upgrade",
  "date",
]);

/** Response headers the grpc-web runtime reads; always exposed to the page by CORS. */
export const alwaysExposedHeaders: readonly string[] = [
  grpcStatus,
  grpcMessage,
  grpcStatusDetailsBin,
];

/** Bearer tokens for writes; passed upstream, never logged by the gateway. */
export const authorization = "authorization";

/**
 * Request headers always allowed by a CORS preflight: what grpc-web sends on every call,
 * a bearer token, and W3C trace context (traceparent, tracestate, baggage).
 */
export const alwaysAllowedRequestHeaders: readonly string[] = [
  contentType,
  xGrpcWeb,
  xUserAgent,
  grpcTimeout,
  authorization,
  "traceparent",
  "tracestate",
  "baggage",
];

/** Response headers that are not application metadata, so never listed as exposed. */
export const standardResponseHeaders: ReadonlySet<string> = new Set([
  ...responseHeadersNotForwarded,
  grpcStatus,
  grpcMessage,
  grpcStatusDetailsBin,
  "grpc-encoding",
  grpcAcceptEncoding,
  "server",
  "vary",
]);
