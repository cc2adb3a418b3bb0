// Which page origins may call the gateway, and the CORS header values they get.
import { type AnswerMemo, memoFor } from "./answer-memo.ts";
import { alwaysAllowedRequestHeaders, alwaysExposedHeaders } from "./headers.ts";

/** One allowed origin: exact, or with `*` as the port. `*` alone allows any origin. */
export interface OriginPattern {
  readonly scheme: string;
  readonly hostname: string;
  /** `"*"` for any port, `""` for the scheme's default. */
  readonly port: string;
}

export interface CorsPolicy {
  readonly anyOrigin: boolean;
  readonly patterns: readonly OriginPattern[];
}

/** Pages served from a local dev server (Vite) on any port. */
export const defaultCorsOrigins = "http://localhost:*,http://127.0.0.1:*,http://[::1]:*";

const patternSyntax = /^(https?):\/\/(\[[0-9a-fA-F:.]+\]|[a-zA-Z0-9.-]+)(?::(\d{1,5}|\*))?$/;

/** Parses CORS_ORIGINS (comma-separated); throws with the offending entry. */
export function parseCorsOrigins(value: string = defaultCorsOrigins): CorsPolicy {
  const entries = value
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
  if (entries.includes("*")) return { anyOrigin: true, patterns: [] };
  const patterns = entries.map((entry) => {
    const match = patternSyntax.exec(entry.replace(/\/$/, ""));
    if (!match) {
      throw new Error(
        `CORS_ORIGINS: ${JSON.stringify(entry)} is not an origin; use scheme://host[:port], ":*" for any port, or "*" alone for any origin`,
      );
    }
    return {
      scheme: match[1] as string,
      hostname: (match[2] as string).toLowerCase(),
      port: match[3] ?? "",
    };
  });
  return { anyOrigin: false, patterns };
}

// Each policy's answer by Origin and Host as sent: a page sends the same pair on every call.
const answers = new WeakMap<CorsPolicy, AnswerMemo<boolean>>();

/**
 * Whether a page at `origin` may read answers. The gateway's own origin (the
 * request's Host) is always allowed: that is the page it serves itself.
 */
export function isOriginAllowed(
  policy: CorsPolicy,
  origin: string,
  host: string | undefined,
): boolean {
  // A newline ends a header value, so it cannot be part of either.
  return memoFor(answers, policy, checkOriginAndHost).answer(`${origin}\n${host ?? ""}`);
}

function checkOriginAndHost(policy: CorsPolicy, originAndHost: string): boolean {
  const newline = originAndHost.indexOf("\n");
  const host = originAndHost.slice(newline + 1);
  return checkOrigin(policy, originAndHost.slice(0, newline), host === "" ? undefined : host);
}

function checkOrigin(policy: CorsPolicy, origin: string, host: string | undefined): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false; // "null" (sandboxed frames, file://) and garbage
  }
  if (host !== undefined && url.host === host.toLowerCase()) return true;
  if (policy.anyOrigin) return true;
  const scheme = url.protocol.replace(/:$/, "");
  return policy.patterns.some(
    (pattern) =>
      pattern.scheme === scheme &&
      pattern.hostname === url.hostname &&
      (pattern.port === "*" || pattern.port === url.port),
  );
}

// RFC 9110 token: what a header name may be.
const headerName = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Allow-Headers for a preflight: grpc-web's own headers plus every valid name the page asks for. */
export function allowedRequestHeaders(requested: string | undefined): string {
  const names = new Set(alwaysAllowedRequestHeaders);
  for (const name of (requested ?? "").split(",")) {
    const trimmed = name.trim().toLowerCase();
    if (headerName.test(trimmed)) names.add(trimmed);
  }
  return [...names].join(",");
}

const statusHeadersOnly = alwaysExposedHeaders.join(",");

/** Expose-Headers for an answer: the status headers plus this answer's own metadata names. */
export function exposedResponseHeaders(metadataNames: readonly string[]): string {
  if (metadataNames.length === 0) return statusHeadersOnly;
  return [...new Set([...alwaysExposedHeaders, ...metadataNames])].join(",");
}
