// Tokens signed with the development key, for `npm run token` and tests: what an
// identity provider would issue in production.
import { importJWK, SignJWT } from "jose";
import type { AuthConfig } from "./auth-config.ts";
import { developmentAlgorithm, loadOrCreateDevelopmentKey } from "./development-key.ts";

/** What jose's setExpirationTime reads: an amount and a unit, "-" or " ago" for the past. */
const timeSpan = /^[+-]?\d+(\.\d+)? ?[a-z]+( ago)?$/i;

export type DevelopmentTokenRequest = {
  /** Space-separated scopes; "" for none. */
  scope: string;
  /** Lifetime as jose reads it: "1h", "30m", "2 days"; "-1m" for one already expired. */
  ttl: string;
  sub: string;
};

/** A JWT for the server's development configuration (its issuer, audience and key). */
export async function signDevelopmentToken(
  config: AuthConfig,
  request: DevelopmentTokenRequest,
): Promise<{ token: string; keyCreated: boolean; keyPath: string }> {
  if (config.keys.kind !== "development") {
    throw new Error(
      "the server trusts an identity provider (AUTH_JWKS_FILE or AUTH_JWKS_URL is set), not the development key: get a token from the identity provider",
    );
  }
  if (!timeSpan.test(request.ttl)) {
    throw new TypeError(
      `ttl must be a time span such as 1h, 30m or "2 days", got "${request.ttl}"`,
    );
  }
  const key = await loadOrCreateDevelopmentKey(config.keys.dataDir);
  const claims = request.scope.trim() ? { scope: request.scope.trim() } : {};
  const token = await new SignJWT(claims)
    .setProtectedHeader({ alg: developmentAlgorithm, kid: key.privateJwk.kid, typ: "JWT" })
    .setIssuer(config.issuer)
    .setAudience(config.audience)
    .setSubject(request.sub)
    .setIssuedAt()
    .setExpirationTime(request.ttl)
    .sign(await importJWK(key.privateJwk, developmentAlgorithm));
  return { token, keyCreated: key.created, keyPath: key.path };
}
