// The public keys tokens are checked against: a JWKS file, an identity provider's
// JWKS URL, or the development key. Each finds a token's key by its `kid` and `alg`.
import { readFileSync, statSync } from "node:fs";
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  errors,
  type JSONWebKeySet,
  type JWTVerifyGetKey,
} from "jose";
import { ConfigError } from "../config.ts";
import type { KeySource } from "./auth-config.ts";
import { loadOrCreateDevelopmentKey } from "./development-key.ts";

export type KeySetOptions = {
  /** Least time between two fetches of a JWKS URL (an unknown kid refetches after it). Default 30 s. */
  cooldownMs?: number;
  /** Longest a fetch of the JWKS URL may take. Default 5 s. */
  fetchTimeoutMs?: number;
  /** Told once when the development key is in use (and whether it was just made). */
  onDevelopmentKey?: (key: { path: string; created: boolean }) => void;
};

/** The key lookup jose's jwtVerify calls for each token. */
export async function createKeySet(
  source: KeySource,
  options: KeySetOptions = {},
): Promise<JWTVerifyGetKey> {
  switch (source.kind) {
    case "jwks-url":
      return createRemoteJWKSet(source.url, {
        cooldownDuration: options.cooldownMs ?? 30_000,
        timeoutDuration: options.fetchTimeoutMs ?? 5_000,
      });
    case "jwks-file":
      return fileKeySet(source.path);
    case "development": {
      const key = await loadOrCreateDevelopmentKey(source.dataDir);
      options.onDevelopmentKey?.({ path: key.path, created: key.created });
      return createLocalJWKSet(key.jwks);
    }
  }
}

type LoadedFile = { mtimeMs: number; getKey: JWTVerifyGetKey };

/**
 * A JWKS file, read at start (a missing or bad file stops the start) and read again
 * when a token names a key it does not hold and the file has changed since: a
 * rotated key mounted from a secret is picked up without a restart.
 */
function fileKeySet(path: string): JWTVerifyGetKey {
  let loaded = loadFile(path);
  return async (header, token) => {
    try {
      return await loaded.getKey(header, token);
    } catch (error) {
      if (!(error instanceof errors.JWKSNoMatchingKey)) throw error;
      const fresh = reloadIfChanged(path, loaded);
      if (!fresh) throw error;
      loaded = fresh;
      return loaded.getKey(header, token);
    }
  };
}

function reloadIfChanged(path: string, loaded: LoadedFile): LoadedFile | undefined {
  try {
    if (statSync(path).mtimeMs === loaded.mtimeMs) return undefined;
    return loadFile(path);
  } catch {
    // Mid-replacement or gone: keep trusting the keys already loaded.
    return undefined;
  }
}

function loadFile(path: string): LoadedFile {
  let text: string;
  let mtimeMs: number;
  try {
    mtimeMs = statSync(path).mtimeMs;
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new ConfigError(`AUTH_JWKS_FILE: cannot read ${path}: ${(error as Error).message}`);
  }
  // The parser's message quotes the text: never echo what may be key material.
  const jwks = parseOrUndefined(text) as JSONWebKeySet | undefined;
  if (jwks?.keys?.some?.((key) => "d" in key)) {
    throw new ConfigError(`AUTH_JWKS_FILE: ${path} holds a private key; give the public keys only`);
  }
  try {
    return { mtimeMs, getKey: createLocalJWKSet(jwks as JSONWebKeySet) };
  } catch {
    throw new ConfigError(
      `AUTH_JWKS_FILE: ${path} is not a JSON Web Key Set ({"keys": [public JWKs]})`,
    );
  }
}

function parseOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
