// The development signing key: made once in DATA_DIR when no identity provider is
// configured, trusted by the server and used by `npm run token`. Never for production.
import {
  chmodSync,
  linkSync,
  mkdirSync,
  readFileSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from "jose";
import { ConfigError } from "../config.ts";

/** ES256: every JWT library and Envoy's jwt_authn verify it. */
export const developmentAlgorithm = "ES256";
/** The private key (a JWK), mode 0600. */
export const developmentKeyFile = "dev-signing-key.jwk.json";

export type DevelopmentKey = {
  /** The private JWK with its `kid` and `alg`: signs tokens. */
  privateJwk: JWK;
  /** The public half, as a key set: verifies them. */
  jwks: { keys: JWK[] };
  path: string;
  /** True when this call made the key (first start). */
  created: boolean;
};

/**
 * Reads the development key from `dataDir`, or makes it there (mode 0600) when absent.
 * Two processes starting together agree: the file appears whole and only once, and
 * the loser reads the winner's key.
 */
export async function loadOrCreateDevelopmentKey(dataDir: string): Promise<DevelopmentKey> {
  const path = join(dataDir, developmentKeyFile);
  const existing = readKey(path);
  if (existing) return describe(existing, path, false);
  mkdirSync(dataDir, { recursive: true });
  const { privateKey } = await generateKeyPair(developmentAlgorithm, { extractable: true });
  const jwk = await exportJWK(privateKey);
  const privateJwk: JWK = {
    ...jwk,
    kid: await calculateJwkThumbprint(jwk),
    alg: developmentAlgorithm,
    use: "sig",
  };
  // Written aside, then linked into place: a reader never sees half a file.
  const partial = `${path}.${process.pid}.tmp`;
  writeFileSync(partial, `${JSON.stringify(privateJwk, null, 2)}\n`, { mode: 0o600 });
  try {
    linkSync(partial, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    const winner = readKey(path);
    if (winner) return describe(winner, path, false);
    throw error;
  } finally {
    unlinkSync(partial);
  }
  return describe(privateJwk, path, true);
}

function readKey(path: string): JWK | undefined {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  // A copy or an umask may have widened it: a signing key is for its owner only.
  if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
  try {
    const jwk = JSON.parse(text) as JWK;
    if (jwk.kty && jwk.d && jwk.kid) return jwk;
  } catch {
    // Reported below, without the file's contents.
  }
  throw new ConfigError(
    `${path} is not a private JWK with a kid; delete it to make a new development key`,
  );
}

function describe(privateJwk: JWK, path: string, created: boolean): DevelopmentKey {
  const { d: _private, ...publicJwk } = privateJwk;
  return { privateJwk, jwks: { keys: [publicJwk] }, path, created };
}
