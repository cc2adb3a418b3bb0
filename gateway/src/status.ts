// gRPC status codes and the one error type the gateway raises. Every failure a
// browser can see goes through `GatewayError`, so it always carries a code.

/** gRPC status codes (https://grpc.github.io/grpc/core/md_doc_statuscodes.html). */
// biome-ignore lint/style/useNamingConvention: an enum-like table, named as grpc-js names its `status`
export const Code = {
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  OUT_OF_RANGE: 11,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  DATA_LOSS: 15,
  UNAUTHENTICATED: 16,
} as const;
export type Code = (typeof Code)[keyof typeof Code];

/** A failure with the gRPC status the browser will read. */
export class GatewayError extends Error {
  readonly code: Code;
  constructor(code: Code, message: string) {
    super(message);
    this.name = "GatewayError";
    this.code = code;
  }
}

/** Maps a non-gRPC HTTP answer to a status, per grpc/grpc doc/http-grpc-status-mapping.md. */
export function codeFromHttpStatus(status: number): Code {
  switch (status) {
    case 400:
      return Code.INTERNAL;
    case 401:
      return Code.UNAUTHENTICATED;
    case 403:
      return Code.PERMISSION_DENIED;
    case 404:
      return Code.UNIMPLEMENTED;
    case 429:
    case 502:
    case 503:
    case 504:
      return Code.UNAVAILABLE;
    default:
      return Code.UNKNOWN;
  }
}

/** Maps an HTTP/2 RST_STREAM error code, per grpc/grpc doc/PROTOCOL-HTTP2.md. */
export function codeFromRstCode(rstCode: number): Code {
  switch (rstCode) {
    case 0x7: // REFUSED_STREAM: the server never started the call, safe to retry.
      return Code.UNAVAILABLE;
    case 0x8: // CANCEL
      return Code.CANCELLED;
    case 0xb: // ENHANCE_YOUR_CALM
      return Code.RESOURCE_EXHAUSTED;
    case 0xc: // INADEQUATE_SECURITY
      return Code.PERMISSION_DENIED;
    default:
      return Code.INTERNAL;
  }
}

// Socket errors that mean "the upstream is not there (any more)"; a client may retry.
const unavailableErrnos = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
  "EPIPE",
  "ERR_HTTP2_GOAWAY_SESSION",
  "ERR_HTTP2_INVALID_SESSION",
  "ERR_HTTP2_SESSION_ERROR",
  "ERR_HTTP2_PING_CANCEL",
]);

// TLS failures towards the upstream, each with the setting that fixes it. They are
// UNAVAILABLE, like Envoy's "upstream connect error ... TLS error" (HTTP 503).
const untrusted =
  "its certificate is not trusted; set UPSTREAM_CA to the CA certificate that signed it";
const upstreamTlsHints: Readonly<Record<string, string>> = {
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: untrusted,
  UNABLE_TO_GET_ISSUER_CERT: untrusted,
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: untrusted,
  SELF_SIGNED_CERT_IN_CHAIN: untrusted,
  DEPTH_ZERO_SELF_SIGNED_CERT: untrusted,
  CERT_UNTRUSTED: untrusted,
  CERT_SIGNATURE_FAILURE: untrusted,
  CERT_HAS_EXPIRED: "its certificate has expired; renew it",
  CERT_NOT_YET_VALID: "its certificate is not valid yet; check the clocks",
  ERR_TLS_CERT_ALTNAME_INVALID:
    "its certificate is not issued for the name dialled; set UPSTREAM_SERVERNAME to a name it lists",
  ERR_SSL_WRONG_VERSION_NUMBER: "it does not speak TLS on that port; unset UPSTREAM_TLS",
};

/**
 * A TLS failure towards the upstream (untrusted, expired, wrong name, not TLS): a
 * setting to fix, not a passing state, so retrying the call cannot help.
 */
export function isUpstreamTlsFailure(error: unknown): boolean {
  const err = error as NodeJS.ErrnoException | undefined;
  const cause = err?.cause as NodeJS.ErrnoException | undefined;
  return (cause?.code ?? "") in upstreamTlsHints || (err?.code ?? "") in upstreamTlsHints;
}

/** Turns anything thrown or emitted while talking to the upstream into a GatewayError. */
export function fromUpstreamError(error: unknown, upstream: string): GatewayError {
  if (error instanceof GatewayError) return error;
  const err = error as NodeJS.ErrnoException;
  let detail = err?.message ?? String(error);
  // A pending stream cancelled because its session failed carries the socket error as cause.
  const cause = err?.cause as (NodeJS.ErrnoException & { reason?: string }) | undefined;
  const tlsHint = upstreamTlsHints[cause?.code ?? ""] ?? upstreamTlsHints[err?.code ?? ""];
  if (tlsHint) {
    // OpenSSL's own messages carry a file and line; its reason alone reads better.
    const reason =
      (cause?.code?.startsWith("ERR_SSL_") && cause.reason) || cause?.message || detail;
    return new GatewayError(
      Code.UNAVAILABLE,
      `upstream ${upstream} TLS failed: ${reason}; ${tlsHint}`,
    );
  }
  if (
    (err?.code && unavailableErrnos.has(err.code)) ||
    (cause?.code && unavailableErrnos.has(cause.code))
  ) {
    if (cause?.message) detail = cause.message; // "connect ECONNREFUSED ..." says it best

    return new GatewayError(Code.UNAVAILABLE, `upstream ${upstream} unavailable: ${detail}`);
  }
  return new GatewayError(Code.INTERNAL, `upstream ${upstream} failed: ${detail}`);
}

// Errors of a call that never left the gateway, so a retry cannot run it twice: the
// session went away between the check and the request, or the connection was refused.
const sessionGoneCodes = new Set(["ERR_HTTP2_GOAWAY_SESSION", "ERR_HTTP2_INVALID_SESSION"]);

export function isSessionGone(error: unknown): boolean {
  return sessionGoneCodes.has((error as NodeJS.ErrnoException)?.code ?? "");
}

/** Failures that happen before a request can leave: refused connection, session gone. */
export function isNeverSent(error: Error): boolean {
  const err = error as NodeJS.ErrnoException;
  const cause = err.cause as NodeJS.ErrnoException | undefined;
  return (
    isSessionGone(err) ||
    err.code === "ECONNREFUSED" ||
    cause?.code === "ECONNREFUSED" ||
    err.code === "ERR_HTTP2_STREAM_CANCEL"
  );
}
