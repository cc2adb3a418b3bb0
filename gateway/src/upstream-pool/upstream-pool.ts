// The gateway's upstream: every endpoint of UPSTREAM, each call on the less loaded of two
// healthy endpoints picked at random, each endpoint with as many HTTP/2 sessions as its
// calls need. The call path only sees `Upstream`: openStream(headers) starts a call.

import type { OutgoingHttpHeaders } from "node:http";
import type { ClientHttp2Stream } from "node:http2";
import type { Logger } from "../logger.ts";
import type { Upstream } from "../upstream.ts";
import {
  defaultMaxStreamsPerSession,
  defaultStreamWindowBytes,
  type UpstreamTlsOptions,
} from "./connect-session.ts";
import { Endpoint, type EndpointStats } from "./endpoint.ts";
import type { UnreadBytes } from "./endpoint-sessions.ts";
import { failedStream } from "./failed-stream.ts";
import { pickEndpoint } from "./pick-endpoint.ts";
import {
  isDnsName,
  parseUpstreamTargets,
  type Resolver,
  resolveTargets,
  systemResolver,
  type UpstreamTarget,
} from "./upstream-addresses.ts";

export interface UpstreamPoolOptions {
  /** UPSTREAM: comma-separated host:port; a DNS name is one endpoint per address. */
  readonly upstream: string;
  readonly logger: Logger;
  readonly tls?: UpstreamTlsOptions | undefined;
  readonly keepaliveIntervalMs?: number;
  readonly keepaliveTimeoutMs?: number;
  /** UPSTREAM_DNS_REFRESH_MS: how often names are resolved again. Default 5000. */
  readonly dnsRefreshMs?: number;
  /** For tests: a stub in place of the system resolver (hosts file, then DNS). */
  readonly resolve?: Resolver;
  /** UPSTREAM_HEALTH_SERVICE: the service health checks ask about. Default "Teams". */
  readonly healthService?: string;
  /** UPSTREAM_HEALTH_INTERVAL_MS: default 5000; 0 turns active checks off. */
  readonly healthIntervalMs?: number;
  /** STREAM_IDLE_TIMEOUT_MS: default 300000; 0 for none. */
  readonly streamIdleTimeoutMs?: number;
  readonly streamWindowBytes?: number;
  readonly maxStreamsPerSession?: number;
}

export interface UpstreamStats extends UnreadBytes {
  /** Sessions opened since start, over all endpoints. */
  readonly sessionsOpened: number;
  /** Streams (calls and health checks) open upstream. */
  readonly openStreams: number;
  readonly endpoints: readonly EndpointStats[];
}

export const defaultDnsRefreshMs = 5000;
export const defaultHealthIntervalMs = 5000;
export const defaultHealthService = "Teams";
export const defaultStreamIdleTimeoutMs = 300_000;
// Envoy's max_ejection_percent in envoy.yaml. Passive ejection never takes the last endpoint
// in rotation out (Envoy's panic mode would send to it anyway); failing health checks do.
const maxEjectionPercent = 67;

export class UpstreamPool implements Upstream {
  /** UPSTREAM as given, for messages ("upstream 10.0.0.1:50051,10.0.0.2:50051 …"). */
  readonly address: string;
  readonly #targets: UpstreamTarget[];
  readonly #options: UpstreamPoolOptions;
  readonly #endpoints = new Map<string, Endpoint>();
  #resolved = new Map<string, string[]>();
  #refreshTimer: NodeJS.Timeout | undefined;
  #retiredSessionsOpened = 0;
  #lastRescue = 0;
  #closed = false;

  constructor(options: UpstreamPoolOptions) {
    this.#options = options;
    this.#targets = parseUpstreamTargets(options.upstream);
    this.address = options.upstream;
  }

  /** Resolves the endpoints once and keeps them fresh; resolves when the first answer is in. */
  async start(): Promise<void> {
    await this.refresh();
    if (this.#targets.some(isDnsName)) {
      this.#refreshTimer = setInterval(
        () => void this.refresh(),
        this.#options.dnsRefreshMs ?? defaultDnsRefreshMs,
      );
      this.#refreshTimer.unref();
    }
  }

  /** Resolves the names again: new addresses join, missing ones drain out. */
  async refresh(): Promise<void> {
    const resolved = await resolveTargets(
      this.#targets,
      this.#options.resolve ?? systemResolver,
      this.#resolved,
      (host, error) =>
        this.#options.logger.warn("upstream name did not resolve; keeping its endpoints", {
          host,
          error: error.message,
        }),
    );
    if (this.#closed) return;
    this.#resolved = resolved;
    const addresses = new Set([...resolved.values()].flat());
    for (const [address, endpoint] of this.#endpoints) {
      if (addresses.has(address)) continue;
      this.#endpoints.delete(address);
      this.#retiredSessionsOpened += endpoint.sessions.sessionsOpened;
      endpoint.retire();
      this.#options.logger.info("upstream endpoint removed", { upstream: address });
    }
    for (const address of addresses) {
      if (this.#endpoints.has(address)) continue;
      const endpoint = this.#newEndpoint(address);
      this.#endpoints.set(address, endpoint);
      if (this.#endpoints.size > 1 || this.#targets.some(isDnsName)) {
        this.#options.logger.info("upstream endpoint added", { upstream: address });
      }
      if ((this.#options.healthIntervalMs ?? defaultHealthIntervalMs) > 0) {
        void endpoint.checkHealth();
      }
    }
  }

  /** Starts a call on the chosen endpoint, or returns a stream failing with UNAVAILABLE. */
  openStream(headers: OutgoingHttpHeaders): ClientHttp2Stream {
    const now = performance.now();
    if (this.#endpoints.size === 1) {
      // One endpoint (one address, or one resolved): no candidates to build and pick from.
      const only = this.#endpoints.values().next().value as Endpoint;
      if (only.available(now)) return only.request(headers);
    }
    const endpoints = [...this.#endpoints.values()];
    const inRotation = endpoints.filter((candidate) => candidate.available(now));
    // None in rotation: a server whose health checks only timed out is busy, not down.
    const endpoint = pickEndpoint(
      inRotation.length > 0 ? inRotation : endpoints.filter((candidate) => candidate.busy(now)),
    );
    if (endpoint) return endpoint.request(headers);
    this.#rescue(endpoints, now);
    const why =
      endpoints.length === 0
        ? "no endpoint: its names resolved to no address"
        : `no healthy endpoint: ${endpoints.map((e) => e.whyUnavailable()).join("; ")}`;
    return failedStream(why);
  }

  stats(): UpstreamStats {
    const endpoints = [...this.#endpoints.values()].map((endpoint) => endpoint.stats());
    return {
      sessionsOpened:
        this.#retiredSessionsOpened +
        [...this.#endpoints.values()].reduce((sum, e) => sum + e.sessions.sessionsOpened, 0),
      openStreams: endpoints.reduce((sum, e) => sum + e.openStreams, 0),
      unreadBytes: endpoints.reduce((sum, e) => sum + e.unreadBytes, 0),
      mostUnreadBytes: Math.max(0, ...endpoints.map((e) => e.mostUnreadBytes)),
      blockedStreams: endpoints.reduce((sum, e) => sum + e.blockedStreams, 0),
      endpoints,
    };
  }

  close(): void {
    this.#closed = true;
    clearInterval(this.#refreshTimer);
    for (const endpoint of this.#endpoints.values()) endpoint.close();
  }

  // With every endpoint out, check them again now (at most once a second) rather than at
  // the next interval, so calls succeed again as soon as one is back.
  #rescue(endpoints: readonly Endpoint[], now: number): void {
    if (now - this.#lastRescue < 1000 || this.#options.healthIntervalMs === 0) return;
    this.#lastRescue = now;
    for (const endpoint of endpoints) void endpoint.checkHealth();
  }

  #newEndpoint(address: string): Endpoint {
    const options = this.#options;
    return new Endpoint(address, {
      logger: options.logger,
      session: {
        keepaliveIntervalMs: options.keepaliveIntervalMs ?? 300_000,
        keepaliveTimeoutMs: options.keepaliveTimeoutMs ?? 20_000,
        tls: options.tls,
        streamWindowBytes: options.streamWindowBytes ?? defaultStreamWindowBytes,
        maxStreamsPerSession: options.maxStreamsPerSession ?? defaultMaxStreamsPerSession,
      },
      healthService: options.healthService ?? defaultHealthService,
      healthIntervalMs: options.healthIntervalMs ?? defaultHealthIntervalMs,
      healthTimeoutMs: Math.min(1000, options.healthIntervalMs || 1000),
      streamIdleTimeoutMs: options.streamIdleTimeoutMs ?? defaultStreamIdleTimeoutMs,
      mayEject: () => this.#mayEject(),
    });
  }

  #mayEject(): boolean {
    const all = [...this.#endpoints.values()];
    const now = performance.now();
    const ejected = all.filter((e) => e.stats().ejected).length;
    const available = all.filter((e) => e.available(now)).length;
    return available > 1 && ((ejected + 1) / all.length) * 100 <= maxEjectionPercent;
  }
}
