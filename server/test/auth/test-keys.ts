// Keys and tokens for the authorization tests: a trusted key pair, an untrusted one,
// and a signer that sets the claims an identity provider would.
import { Metadata } from "@grpc/grpc-js";
import {
  type CryptoKey,
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  type JWK,
  type JWTPayload,
  SignJWT,
} from "jose";

export const issuer = "https://id.teams.example";
export const audience = "teams-api";

export type TestKey = { kid: string; privateKey: CryptoKey; publicJwk: JWK };

export async function makeKey(alg = "ES256"): Promise<TestKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const jwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(jwk);
  return { kid, privateKey, publicJwk: { ...jwk, kid, alg, use: "sig" } };
}

export function jwksOf(...keys: TestKey[]): { keys: JWK[] } {
  return { keys: keys.map((key) => key.publicJwk) };
}

export type TokenOptions = {
  claims?: JWTPayload;
  /** Seconds from now; negative for the past. Default 300. */
  expiresIn?: number;
  kid?: string;
  alg?: string;
};

/** The claims an identity provider would set: issuer, audience, sub, scope teams:write. */
export function validClaims(expiresIn = 300): JWTPayload {
  const now = Math.floor(Date.now() / 1000);
  return {
    iss: issuer,
    aud: audience,
    sub: "alice",
    scope: "teams:write",
    iat: now,
    exp: now + expiresIn,
  };
}

/** A token with validClaims(), changed by `options.claims`, signed by `key`. */
export function sign(key: TestKey, options: TokenOptions = {}): Promise<string> {
  return new SignJWT({ ...validClaims(options.expiresIn), ...options.claims })
    .setProtectedHeader({
      alg: options.alg ?? key.publicJwk.alg ?? "ES256",
      kid: options.kid ?? key.kid,
    })
    .sign(key.privateKey);
}

/** Call metadata carrying `authorization: <value>`. */
export function withAuthorization(value: string): Metadata {
  const metadata = new Metadata();
  metadata.set("authorization", value);
  return metadata;
}

export function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}
