// Why a write's token was refused, as the gRPC status the caller gets: a message that
// says what is wrong and what to do, and a google.rpc.ErrorInfo reason to branch on.
// Neither ever holds the token or key material.
import { type Metadata, type ServiceError, status } from "@grpc/grpc-js";
import { errors } from "jose";
import { errorWithInfo } from "../rich-error.ts";

/** The ErrorInfo reasons a write can be refused with. */
export type AuthReason =
  | "TOKEN_MISSING"
  | "TOKEN_MALFORMED"
  | "TOKEN_ALGORITHM_NOT_ALLOWED"
  | "TOKEN_KEY_UNKNOWN"
  | "TOKEN_SIGNATURE_INVALID"
  | "TOKEN_EXPIRED"
  | "TOKEN_NOT_YET_VALID"
  | "TOKEN_ISSUER_INVALID"
  | "TOKEN_AUDIENCE_INVALID"
  | "TOKEN_CLAIMS_INVALID"
  | "SCOPE_MISSING"
  | "JWKS_UNAVAILABLE";

/** A refused write, in the shape grpc-js handlers pass to their callback. */
export class AuthRejection extends Error implements ServiceError {
  override readonly name = "AuthRejection";
  readonly code: status;
  readonly details: string;
  readonly metadata: Metadata;

  constructor(
    code: status,
    readonly reason: AuthReason,
    message: string,
    infoMetadata: Record<string, string> = {},
  ) {
    super(message);
    const error = errorWithInfo(code, message, { reason, metadata: infoMetadata });
    this.code = code;
    this.details = message;
    this.metadata = error.metadata as Metadata;
  }
}

// RFC 6750's WWW-Authenticate challenges, quoted in messages so callers know the scheme.
const invalidToken = '(WWW-Authenticate: Bearer error="invalid_token")';

export function unauthenticated(
  reason: AuthReason,
  what: string,
  infoMetadata?: Record<string, string>,
): AuthRejection {
  const challenge = reason === "TOKEN_MISSING" ? "(WWW-Authenticate: Bearer)" : invalidToken;
  return new AuthRejection(status.UNAUTHENTICATED, reason, `${what} ${challenge}`, infoMetadata);
}

export function scopeMissing(required: string, granted: string[]): AuthRejection {
  const has = granted.length ? `it has ${granted.join(" ")}` : "it has none";
  return new AuthRejection(
    status.PERMISSION_DENIED,
    "SCOPE_MISSING",
    `token lacks the scope ${required} (${has}): ask the identity provider for a token with it (WWW-Authenticate: Bearer error="insufficient_scope", scope="${required}")`,
    { required_scope: required },
  );
}

export type Expected = { issuer: string; audience: string; clockToleranceSec: number };

/** What jose's jwtVerify threw, as the rejection the caller gets. */
export function rejectionFromJose(error: unknown, expected: Expected): AuthRejection {
  if (error instanceof errors.JWTExpired) {
    const exp = typeof error.payload.exp === "number" ? error.payload.exp : undefined;
    const at = exp === undefined ? "" : ` at ${new Date(exp * 1000).toISOString()}`;
    return unauthenticated(
      "TOKEN_EXPIRED",
      `token expired${at} (clock skew allowed: ${expected.clockToleranceSec} s): get a new token`,
    );
  }
  if (error instanceof errors.JWTClaimValidationFailed) return claimRejection(error, expected);
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return unauthenticated(
      "TOKEN_ALGORITHM_NOT_ALLOWED",
      "token algorithm not allowed: only asymmetric signatures (RS, PS, ES, EdDSA) are accepted",
    );
  }
  if (
    error instanceof errors.JWKSNoMatchingKey ||
    error instanceof errors.JWKSMultipleMatchingKeys
  ) {
    return unauthenticated(
      "TOKEN_KEY_UNKNOWN",
      "token signed by a key the server does not trust (no key of the key set matches its kid and alg)",
    );
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return unauthenticated("TOKEN_SIGNATURE_INVALID", "token signature invalid");
  }
  if (keySetUnavailable(error)) {
    return new AuthRejection(
      status.UNAVAILABLE,
      "JWKS_UNAVAILABLE",
      "cannot check tokens now: the identity provider's key set cannot be fetched; retry later",
    );
  }
  // JWSInvalid, JWTInvalid, JOSENotSupported, JWKInvalid: not a token we can read.
  return unauthenticated(
    "TOKEN_MALFORMED",
    "token malformed: expected a signed JWT (three base64url parts: header.payload.signature)",
  );
}

/** The key set could not be had (fetch failed, timed out, not 200, not a key set): not the caller's fault. */
function keySetUnavailable(error: unknown): boolean {
  if (!(error instanceof errors.JOSEError)) return true;
  return (
    error instanceof errors.JWKSTimeout ||
    error instanceof errors.JWKSInvalid ||
    error.code === errors.JOSEError.code
  );
}

function claimRejection(error: errors.JWTClaimValidationFailed, expected: Expected): AuthRejection {
  const { claim, reason } = error;
  if (claim === "nbf") {
    return unauthenticated(
      "TOKEN_NOT_YET_VALID",
      `token not yet valid: its nbf is in the future (clock skew allowed: ${expected.clockToleranceSec} s)`,
    );
  }
  if (claim === "iss") {
    return unauthenticated(
      "TOKEN_ISSUER_INVALID",
      `token issuer invalid: iss must be "${expected.issuer}"`,
    );
  }
  if (claim === "aud") {
    return unauthenticated(
      "TOKEN_AUDIENCE_INVALID",
      `token audience invalid: aud must include "${expected.audience}"`,
    );
  }
  const problem = reason === "missing" ? "missing" : "invalid";
  return unauthenticated("TOKEN_CLAIMS_INVALID", `token claim ${claim} ${problem}`, { claim });
}
