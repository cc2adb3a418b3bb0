// TLS settings from environment variables: HTTPS towards the browser, TLS towards
// the upstream. Files are read and checked at start, with messages naming the variable.

import { createPrivateKey, type KeyObject, X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import type { TlsCredentials } from "./listener.ts";
import type { UpstreamTlsOptions } from "./upstream-pool/index.ts";

type Env = Readonly<Record<string, string | undefined>>;

export interface TlsGatewayOptions {
  /** Serve HTTPS, HTTP/2 (ALPN h2) with HTTP/1.1 fallback. Plain HTTP/1.1 without. */
  readonly tls?: TlsCredentials;
  /** Strict-Transport-Security max-age on HTTPS answers. Default one year. */
  readonly hstsMaxAgeSeconds?: number;
  /** An HTTP/2 connection with no open stream for this long gets GOAWAY. Default 60 s. */
  readonly http2IdleTimeoutMs?: number;
  /** Call the upstream over TLS (https://). Plaintext HTTP/2 (h2c) without. */
  readonly upstreamTls?: UpstreamTlsOptions;
}

/** Reads TLS_CERT, TLS_KEY, HSTS_MAX_AGE, UPSTREAM_TLS, UPSTREAM_CA, UPSTREAM_SERVERNAME. */
export function tlsOptionsFromEnv(env: Env): TlsGatewayOptions {
  const options: { -readonly [K in keyof TlsGatewayOptions]: TlsGatewayOptions[K] } = {};
  const tls = serverCredentials(env);
  if (tls) options.tls = tls;
  if (env.HSTS_MAX_AGE) {
    if (!/^\d+$/.test(env.HSTS_MAX_AGE)) {
      throw new Error(
        `HSTS_MAX_AGE: expected whole seconds (0 tells browsers to forget), got ${JSON.stringify(env.HSTS_MAX_AGE)}`,
      );
    }
    options.hstsMaxAgeSeconds = Number(env.HSTS_MAX_AGE);
  }
  const upstreamTls = upstreamTlsOptions(env);
  if (upstreamTls) options.upstreamTls = upstreamTls;
  return options;
}

function serverCredentials(env: Env): TlsCredentials | undefined {
  const { TLS_CERT: certPath, TLS_KEY: keyPath } = env;
  if (!certPath && !keyPath) return undefined;
  if (!certPath || !keyPath) {
    throw new Error(
      "TLS_CERT and TLS_KEY must be set together (PEM file paths of the certificate and its key), or neither",
    );
  }
  const cert = readPem("TLS_CERT", certPath);
  const key = readPem("TLS_KEY", keyPath);
  const certificate = parseCertificate("TLS_CERT", certPath, cert);
  const privateKey = parseKey(keyPath, key);
  if (!certificate.checkPrivateKey(privateKey)) {
    throw new Error(
      `TLS_KEY: the key in ${keyPath} does not belong to the certificate in ${certPath} (TLS_CERT)`,
    );
  }
  return { cert, key };
}

function upstreamTlsOptions(env: Env): UpstreamTlsOptions | undefined {
  const flag = env.UPSTREAM_TLS ?? "";
  if (!["", "0", "1", "false", "true"].includes(flag)) {
    throw new Error(`UPSTREAM_TLS: expected 1 or 0, got ${JSON.stringify(flag)}`);
  }
  const enabled = flag === "1" || flag === "true";
  if (!enabled) {
    for (const name of ["UPSTREAM_CA", "UPSTREAM_SERVERNAME"]) {
      if (env[name]) throw new Error(`${name} is set but UPSTREAM_TLS is not; set UPSTREAM_TLS=1`);
    }
    return undefined;
  }
  const options: { ca?: Buffer; servername?: string } = {};
  if (env.UPSTREAM_CA) {
    options.ca = readPem("UPSTREAM_CA", env.UPSTREAM_CA);
    parseCertificate("UPSTREAM_CA", env.UPSTREAM_CA, options.ca);
  }
  if (env.UPSTREAM_SERVERNAME) {
    if (!/^[A-Za-z0-9.-]+$/.test(env.UPSTREAM_SERVERNAME)) {
      throw new Error(
        `UPSTREAM_SERVERNAME: expected a DNS name the upstream's certificate is issued for, got ${JSON.stringify(env.UPSTREAM_SERVERNAME)}`,
      );
    }
    options.servername = env.UPSTREAM_SERVERNAME;
  }
  return options;
}

function readPem(name: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new Error(`${name}: cannot read ${path}: ${(error as Error).message}`);
  }
}

function parseCertificate(name: string, path: string, pem: Buffer): X509Certificate {
  try {
    return new X509Certificate(pem);
  } catch {
    throw new Error(`${name}: ${path} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
  }
}

function parseKey(path: string, pem: Buffer): KeyObject {
  try {
    return createPrivateKey(pem);
  } catch {
    throw new Error(
      `TLS_KEY: ${path} holds no unencrypted PEM private key (-----BEGIN PRIVATE KEY-----)`,
    );
  }
}
