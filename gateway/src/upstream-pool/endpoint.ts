// One server address in the pool: its sessions, its health (active checks), and its
// passive outlier state (consecutive failures eject it for a growing time).

import type { OutgoingHttpHeaders } from "node:http";
import type { ClientHttp2Stream } from "node:http2";
import type { Logger } from "../logger.ts";
import type { SessionOptions } from "./connect-session.ts";
import {
  EndpointSessions,
  type PoolStream,
  type PoolStreamState,
  poolStateOf,
  type StreamStatusWatcher,
  type UnreadBytes,
} from "./endpoint-sessions.ts";
import { checkHealth } from "./health-check.ts";

export interface EndpointPolicy {
  readonly logger: Logger;
  readonly session: Omit<SessionOptions, "openStreams" | "logger">;
  readonly healthService: string;
  readonly healthIntervalMs: number;
  readonly healthTimeoutMs: number;
  /** Idle limit of an upstream stream (no byte either way); 0 for none. */
  readonly streamIdleTimeoutMs: number;
  /** Whether the pool allows one more ejection now (a cap like max_ejection_percent). */
  readonly mayEject: () => boolean;
}

// Envoy's health check thresholds in envoy.yaml, and its outlier detection defaults.
export const unhealthyThreshold = 2;
export const healthyThreshold = 1;
export const consecutiveFailuresToEject = 5;
export const baseEjectionMs = 30_000;

export interface EndpointStats extends UnreadBytes {
  readonly address: string;
  readonly healthy: boolean;
  readonly ejected: boolean;
  readonly sessions: number;
  readonly openStreams: number;
  readonly calls: number;
  readonly failures: number;
  /** Streams ended because no byte moved either way for STREAM_IDLE_TIMEOUT_MS. */
  readonly idleTimeouts: number;
  readonly ejections: number;
  /** The last health or call failure, for operators. */
  readonly lastFailure: string;
}

// Shared by every stream (none is made per call): the stream is `this`.
function idled(this: PoolStream): void {
  const state = poolStateOf(this);
  if (state?.watcher instanceof Endpoint) state.watcher.streamIdled(this, state);
}

export class Endpoint implements StreamStatusWatcher {
  readonly address: string;
  readonly sessions: EndpointSessions;
  readonly #policy: EndpointPolicy;
  #healthy = true;
  /** Out only because health checks went unanswered in time (a busy server, not a down one). */
  #onlySlow = false;
  #healthFailures = 0;
  #consecutiveFailures = 0;
  #ejectedUntil = 0;
  #ejections = 0;
  #idleTimeouts = 0;
  #calls = 0;
  #failures = 0;
  #lastFailure = "";
  #healthTimer: NodeJS.Timeout | undefined;
  #checking = false;

  constructor(address: string, policy: EndpointPolicy) {
    this.address = address;
    this.#policy = policy;
    this.sessions = new EndpointSessions(
      address,
      { ...policy.session, logger: policy.logger },
      {
        connectFailed: (error) => this.#callFailed(error.message),
        connected: () => {},
      },
    );
    if (policy.healthIntervalMs > 0) {
      this.#healthTimer = setInterval(() => void this.checkHealth(), policy.healthIntervalMs);
      this.#healthTimer.unref();
    }
  }

  /** In rotation: passing health checks and not ejected. */
  available(now = performance.now()): boolean {
    return this.#healthy && now >= this.#ejectedUntil;
  }

  /**
   * Out of rotation only because its health checks timed out, and not ejected: a server busy
   * (filling many streams, say) rather than down. The pool still sends calls to such endpoints
   * when none is in rotation, as Envoy's panic threshold routes to every host.
   */
  busy(now = performance.now()): boolean {
    return !this.#healthy && this.#onlySlow && now >= this.#ejectedUntil;
  }

  /** Why this endpoint is out of rotation. */
  whyUnavailable(): string {
    const state = this.#healthy ? "ejected" : "unhealthy";
    return `${this.address} ${state}${this.#lastFailure ? ` (${this.#lastFailure})` : ""}`;
  }

  request(headers: OutgoingHttpHeaders): ClientHttp2Stream & { endpoint: string } {
    const stream = this.sessions.request(headers, this) as PoolStream & { endpoint: string };
    stream.endpoint = this.address;
    this.#calls += 1;
    if (this.#policy.streamIdleTimeoutMs > 0)
      stream.setTimeout(this.#policy.streamIdleTimeoutMs, idled);
    return stream;
  }

  /** The gRPC status of one of this endpoint's calls (endpoint-sessions.ts tells it). */
  grpcStatus(status: string | string[] | undefined, state: PoolStreamState): void {
    if (status === undefined || state.idled) return;
    if (String(status) === "14") this.#callFailed(`a call answered UNAVAILABLE`);
    else this.#consecutiveFailures = 0;
  }

  /** A stream of this endpoint idle for STREAM_IDLE_TIMEOUT_MS. */
  streamIdled(stream: PoolStream, state: PoolStreamState): void {
    state.idled = true;
    this.#endIdle(stream, state.answered);
  }

  /** One active health check now (none if one is running). */
  async checkHealth(): Promise<void> {
    if (this.#checking) return;
    this.#checking = true;
    try {
      const answer = await checkHealth(
        this.sessions,
        this.#policy.healthService,
        this.#policy.healthTimeoutMs,
      );
      this.#onlySlow = !answer.serving && answer.slow === true;
      if (answer.serving) {
        this.#healthFailures = 0;
        // As Envoy's successful_active_health_check_uneject_host (default true).
        if (performance.now() < this.#ejectedUntil) {
          this.#ejectedUntil = 0;
          this.#consecutiveFailures = 0;
          this.#policy.logger.info("upstream endpoint back from ejection: health check passed", {
            upstream: this.address,
          });
        }
        if (!this.#healthy) {
          this.#healthy = true; // healthyThreshold is 1
          this.#consecutiveFailures = 0;
          this.#policy.logger.info("upstream endpoint healthy", { upstream: this.address });
        }
        return;
      }
      this.#lastFailure = answer.reason;
      this.#healthFailures += 1;
      // A draining replica (NOT_SERVING) leaves at once: it is about to close.
      const draining = answer.reason.endsWith("NOT_SERVING");
      if (this.#healthy && (draining || this.#healthFailures >= unhealthyThreshold)) {
        this.#healthy = false;
        this.#policy.logger.warn("upstream endpoint unhealthy", {
          upstream: this.address,
          reason: answer.reason,
        });
      }
    } finally {
      this.#checking = false;
    }
  }

  stats(): EndpointStats {
    return {
      address: this.address,
      healthy: this.#healthy,
      ejected: performance.now() < this.#ejectedUntil,
      sessions: this.sessions.liveSessions,
      openStreams: this.sessions.openStreams,
      calls: this.#calls,
      failures: this.#failures,
      idleTimeouts: this.#idleTimeouts,
      ejections: this.#ejections,
      lastFailure: this.#lastFailure,
      ...this.sessions.unread(),
    };
  }

  /** Out of the pool (no longer in DNS, or the gateway stops): calls in progress finish. */
  retire(): void {
    clearInterval(this.#healthTimer);
    this.sessions.retireAll();
  }

  close(): void {
    clearInterval(this.#healthTimer);
    this.sessions.close();
  }

  #callFailed(reason: string): void {
    this.#failures += 1;
    this.#consecutiveFailures += 1;
    this.#lastFailure = reason;
    const now = performance.now();
    if (
      this.#consecutiveFailures >= consecutiveFailuresToEject &&
      now >= this.#ejectedUntil &&
      this.#policy.mayEject()
    ) {
      this.#ejections += 1;
      this.#consecutiveFailures = 0;
      const ms = baseEjectionMs * this.#ejections;
      this.#ejectedUntil = now + ms;
      this.#policy.logger.warn("upstream endpoint ejected", {
        upstream: this.address,
        reason,
        ejectionMs: ms,
      });
    }
  }

  // Ends a stream idle for STREAM_IDLE_TIMEOUT_MS the way the call path reads a gRPC
  // status: UNAVAILABLE (as Envoy's stream_idle_timeout: 504, which gRPC maps to 14), and
  // resets it upstream (NO_ERROR, so the call path takes the status as the answer).
  #endIdle(stream: ClientHttp2Stream, answered: boolean): void {
    if (stream.closed || stream.destroyed) return;
    this.#idleTimeouts += 1;
    const status = {
      "grpc-status": "14",
      "grpc-message": encodeURIComponent(
        `upstream stream idle for ${this.#policy.streamIdleTimeoutMs} ms (no byte either way); the gateway ended it`,
      ),
    };
    if (answered) stream.emit("trailers", status, 0);
    else
      stream.emit("response", { ":status": 200, "content-type": "application/grpc", ...status }, 0);
    stream.close(0);
  }
}
