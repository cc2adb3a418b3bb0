// ALLOWED_HOSTS: which Host headers the gateway answers. A page on evil.example whose name
// is re-pointed at 127.0.0.1 (DNS rebinding) sends `Host: evil.example`; refusing unknown
// names keeps a gateway bound to localhost private (like Vite's server.allowedHosts).
import { X509Certificate } from "node:crypto";
import { hostname, networkInterfaces } from "node:os";
import { type AnswerMemo, memoFor } from "./answer-memo.ts";

export interface HostPolicy {
  readonly any: boolean;
  /** Exact names and addresses (lower case, IPv6 without brackets). */
  readonly names: ReadonlySet<string>;
  /** `.example.com` entries: the name and every subdomain. */
  readonly suffixes: readonly string[];
}

const entrySyntax = /^\.?[a-z0-9_-]+(\.[a-z0-9_-]+)*$|^[0-9a-f:.]+$/;

/**
 * The default names: localhost and *.localhost, loopback, this machine's name and
 * addresses, and the names the TLS certificate is issued for; plus `extra` (ALLOWED_HOSTS:
 * comma-separated names, `.example.com` for a domain and its subdomains, `*` for any).
 */
export function hostPolicy(extra = "", certificate?: string | Buffer): HostPolicy {
  const names = new Set(["localhost", "127.0.0.1", "::1", hostname().toLowerCase()]);
  const suffixes = [".localhost"];
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) names.add(address.address.toLowerCase());
  }
  for (const name of certificate ? certificateNames(certificate) : []) {
    if (name.startsWith("*.")) suffixes.push(name.slice(1));
    else names.add(name);
  }
  for (const raw of extra.split(",")) {
    const entry = raw
      .trim()
      .toLowerCase()
      .replace(/^\[(.*)\]$/, "$1");
    if (entry === "") continue;
    if (entry === "*") return { any: true, names, suffixes };
    if (!entrySyntax.test(entry)) {
      throw new Error(
        `ALLOWED_HOSTS: ${JSON.stringify(raw.trim())} is not a host name or address; use names like teams.example.com, .example.com for a domain, or "*" for any`,
      );
    }
    if (entry.startsWith(".")) suffixes.push(entry);
    else names.add(entry);
  }
  return { any: false, names, suffixes };
}

// Each policy's answer by Host header as sent: a client sends the same one on every call.
const answers = new WeakMap<HostPolicy, AnswerMemo<boolean>>();

/** Whether a request's Host (name[:port], [v6][:port]) is one the gateway answers. */
export function isHostAllowed(policy: HostPolicy, host: string): boolean {
  return policy.any || memoFor(answers, policy, checkHost).answer(host);
}

function checkHost(policy: HostPolicy, host: string): boolean {
  const name = hostName(host);
  if (name === undefined) return false;
  if (policy.names.has(name) || /^127\.\d+\.\d+\.\d+$/.test(name)) return true;
  return policy.suffixes.some((suffix) => name.endsWith(suffix) || name === suffix.slice(1));
}

function hostName(host: string): string | undefined {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]+))(?::\d{1,5})?$/.exec(host.trim());
  if (!match) return undefined;
  return (match[1] ?? match[2] ?? "").toLowerCase().replace(/\.$/, "");
}

/** DNS names and IP addresses of a PEM certificate's subjectAltName. */
function certificateNames(pem: string | Buffer): string[] {
  const altNames = new X509Certificate(pem).subjectAltName ?? "";
  return altNames
    .split(",")
    .map((entry) => entry.trim())
    .flatMap((entry) => {
      const [kind, value = ""] = entry.split(/:(.*)/s);
      return kind === "DNS" || kind === "IP Address" ? [value.toLowerCase()] : [];
    });
}
