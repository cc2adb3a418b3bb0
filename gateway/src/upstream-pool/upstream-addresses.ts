// UPSTREAM: a comma-separated list of host:port. An IP address is one endpoint; a DNS
// name is one endpoint per address it resolves to, re-resolved periodically (Envoy's
// STRICT_DNS), so `docker compose --scale` and a Kubernetes headless Service need no restart.

import { lookup } from "node:dns/promises";
import { isIP } from "node:net";

export interface UpstreamTarget {
  readonly host: string;
  readonly port: number;
}

/** Resolves a DNS name to its addresses (all of them, in the resolver's order). */
export type Resolver = (host: string) => Promise<string[]>;

export const systemResolver: Resolver = async (host) =>
  (await lookup(host, { all: true })).map((entry) => entry.address);

const targetPattern = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/;

/** Parses UPSTREAM; throws a message naming `name` and what to fix. */
export function parseUpstreamTargets(value: string, name = "UPSTREAM"): UpstreamTarget[] {
  const parts = value.split(",").map((part) => part.trim());
  return parts.map((part) => {
    const match = targetPattern.exec(part);
    if (!match || Number(match[2]) > 65535) {
      throw new Error(
        `${name}: expected host:port of a gRPC server, or several separated by commas, e.g. 127.0.0.1:50051,127.0.0.1:50052; got ${JSON.stringify(part)}`,
      );
    }
    return { host: (match[1] as string).replace(/^\[|\]$/g, ""), port: Number(match[2]) };
  });
}

/** host:port, with an IPv6 host in brackets. */
export function endpointAddress(host: string, port: number): string {
  return `${isIP(host) === 6 ? `[${host}]` : host}:${port}`;
}

/** Whether `target` needs resolving (a name, not an address). */
export function isDnsName(target: UpstreamTarget): boolean {
  return isIP(target.host) === 0;
}

/**
 * Every endpoint address of `targets` now. A name that fails to resolve keeps its
 * `previous` addresses (a DNS hiccup must not empty the pool); the error is reported.
 */
export async function resolveTargets(
  targets: readonly UpstreamTarget[],
  resolve: Resolver,
  previous: ReadonlyMap<string, string[]>,
  onError: (host: string, error: Error) => void,
): Promise<Map<string, string[]>> {
  const answers = await Promise.all(
    targets.map(async (target): Promise<[string, string[]]> => {
      const key = endpointAddress(target.host, target.port);
      if (!isDnsName(target)) return [key, [key]];
      try {
        const ips = await resolve(target.host);
        return [key, [...new Set(ips)].map((ip) => endpointAddress(ip, target.port))];
      } catch (error) {
        onError(target.host, error as Error);
        return [key, previous.get(key) ?? []];
      }
    }),
  );
  return new Map(answers);
}
