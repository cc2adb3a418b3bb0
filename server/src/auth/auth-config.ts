// Where the server's trust in tokens comes from, read from the environment only.
// Kept apart from ../config.ts: the integrator wires readAuthConfig() into it.

import { ConfigError } from "../config.ts";
import { defaultDataDir } from "../store/data-dir.ts";

type Env = Record<string, string | undefined>;

/** Where the public keys that sign tokens come from. */
export type KeySource =
  /** A JSON Web Key Set file (re-read when a token names a key id it does not hold). */
  | { kind: "jwks-file"; path: string }
  /** An identity provider's JWKS endpoint, fetched, cached and refetched on an unknown key id. */
  | { kind: "jwks-url"; url: URL }
  /** No AUTH_JWKS_*: a development key pair kept in DATA_DIR, made on first start. */
  | { kind: "development"; dataDir: string };

export type AuthConfig = {
  keys: KeySource;
  /** The `iss` every token must carry. */
  issuer: string;
  /** The `aud` every token must carry (one of its values when `aud` is a list). */
  audience: string;
  /** Seconds of clock difference allowed when checking `exp` and `nbf`. */
  clockToleranceSec: number;
};

export const developmentIssuer = "teams-dev";
export const developmentAudience = "teams";
export const defaultClockToleranceSec = 30;

/**
 * AUTH_JWKS_FILE or AUTH_JWKS_URL (not both) with AUTH_ISSUER and AUTH_AUDIENCE for an
 * identity provider; none of them for development (a key pair in DATA_DIR, issuer
 * `teams-dev`, audience `teams`). AUTH_CLOCK_TOLERANCE_S (default 30) in both cases.
 */
export function readAuthConfig(env: Env): AuthConfig {
  const file = text(env, "AUTH_JWKS_FILE");
  const url = text(env, "AUTH_JWKS_URL");
  const clockToleranceSec = tolerance(env);
  if (file && url) {
    throw new ConfigError("AUTH_JWKS_FILE and AUTH_JWKS_URL are exclusive: set one of them");
  }
  if (!file && !url) {
    const stray = ["AUTH_ISSUER", "AUTH_AUDIENCE"].find((name) => text(env, name));
    if (stray) {
      throw new ConfigError(
        `${stray} is set but neither AUTH_JWKS_FILE nor AUTH_JWKS_URL: set the identity provider's key set too, or unset ${stray} for the development key`,
      );
    }
    return {
      keys: { kind: "development", dataDir: text(env, "DATA_DIR") ?? defaultDataDir },
      issuer: developmentIssuer,
      audience: developmentAudience,
      clockToleranceSec,
    };
  }
  const from = file ? "AUTH_JWKS_FILE" : "AUTH_JWKS_URL";
  return {
    keys: file ? { kind: "jwks-file", path: file } : { kind: "jwks-url", url: jwksUrl(url ?? "") },
    issuer: required(env, "AUTH_ISSUER", from),
    audience: required(env, "AUTH_AUDIENCE", from),
    clockToleranceSec,
  };
}

function text(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

function required(env: Env, name: string, because: string): string {
  const value = text(env, name);
  if (!value) {
    throw new ConfigError(
      `${name} must be set with ${because}: tokens are checked against it (the identity provider's value)`,
    );
  }
  return value;
}

function jwksUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`AUTH_JWKS_URL must be an http(s) URL, got "${raw}"`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new ConfigError(`AUTH_JWKS_URL must be an http(s) URL, got "${raw}"`);
  }
  return url;
}

function tolerance(env: Env): number {
  const raw = text(env, "AUTH_CLOCK_TOLERANCE_S");
  if (raw === undefined) return defaultClockToleranceSec;
  if (!/^\d+$/.test(raw) || Number(raw) > 300) {
    throw new ConfigError(
      `AUTH_CLOCK_TOLERANCE_S must be a whole number from 0 to 300, got "${raw}"`,
    );
  }
  return Number(raw);
}
