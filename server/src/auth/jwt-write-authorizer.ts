// The WriteAuthorizer the server uses: `authorization: Bearer <JWT>`, verified with
// jose against a key set, then checked for the scope `teams:write`.
import type { Metadata } from "@grpc/grpc-js";
import { type JWTPayload, type JWTVerifyGetKey, jwtVerify } from "jose";
import type { Logger } from "../logger.ts";
import type { AuthConfig } from "./auth-config.ts";
import {
  type Expected,
  rejectionFromJose,
  scopeMissing,
  unauthenticated,
} from "./auth-rejection.ts";
import { createKeySet, type KeySetOptions } from "./key-set.ts";
import type { WriteAuthorizer, WriteCaller } from "./write-authorizer.ts";

/** The scope every write needs. */
export const writeScope = "teams:write";

/**
 * Asymmetric signatures only. Never `none`, never HS*: an HMAC "keyed" with a public
 * key that anyone can read would let anyone sign.
 */
export const allowedAlgorithms = [
  "RS256",
  "RS384",
  "RS512",
  "PS256",
  "PS384",
  "PS512",
  "ES256",
  "ES384",
  "ES512",
  "EdDSA",
  "Ed25519",
];

const bearer = /^Bearer +(\S+)$/i;

export class JwtWriteAuthorizer implements WriteAuthorizer {
  constructor(
    private readonly keys: JWTVerifyGetKey,
    private readonly expected: Expected,
  ) {}

  async authorize(metadata: Metadata): Promise<WriteCaller> {
    const token = bearerToken(metadata);
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.keys, {
        algorithms: allowedAlgorithms,
        issuer: this.expected.issuer,
        audience: this.expected.audience,
        clockTolerance: this.expected.clockToleranceSec,
        requiredClaims: ["exp", "sub"],
      }));
    } catch (error) {
      throw rejectionFromJose(error, this.expected);
    }
    const granted = scopesOf(payload);
    if (!granted.includes(writeScope)) throw scopeMissing(writeScope, granted);
    return { subject: String(payload.sub) };
  }
}

/**
 * The authorizer for a configuration: reads the key file, or loads (or makes) the
 * development key now, and logs one line when the development key is trusted.
 */
export async function createWriteAuthorizer(
  config: AuthConfig,
  options: KeySetOptions & { logger?: Logger } = {},
): Promise<JwtWriteAuthorizer> {
  const keys = await createKeySet(config.keys, {
    onDevelopmentKey: ({ path, created }) =>
      options.logger?.info(
        "writes accept tokens signed by the development key (no AUTH_JWKS_FILE or AUTH_JWKS_URL); `npm run token` prints one",
        { key: path, created, issuer: config.issuer, audience: config.audience },
      ),
    ...options,
  });
  return new JwtWriteAuthorizer(keys, config);
}

function bearerToken(metadata: Metadata): string {
  const values = metadata.get("authorization");
  if (values.length === 0) {
    throw unauthenticated(
      "TOKEN_MISSING",
      `missing token: writes need the metadata "authorization: Bearer <JWT>" with the scope ${writeScope}`,
    );
  }
  if (values.length > 1) {
    throw unauthenticated(
      "TOKEN_MALFORMED",
      "token malformed: send one authorization value, not several",
    );
  }
  const match = bearer.exec(String(values[0]).trim());
  if (!match?.[1]) {
    throw unauthenticated(
      "TOKEN_MALFORMED",
      'token malformed: the authorization value must be "Bearer <JWT>"',
    );
  }
  return match[1];
}

/** OAuth's space-separated `scope` (RFC 8693) and the `scp` list some providers send. */
function scopesOf(payload: JWTPayload): string[] {
  const scope = typeof payload.scope === "string" ? payload.scope.split(" ") : [];
  const scp = Array.isArray(payload.scp)
    ? payload.scp
    : typeof payload.scp === "string"
      ? payload.scp.split(" ")
      : [];
  return [...scope, ...scp].filter(
    (item): item is string => typeof item === "string" && item !== "",
  );
}
