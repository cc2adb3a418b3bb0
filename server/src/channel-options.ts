import type { ServerOptions as GrpcServerOptions } from "@grpc/grpc-js";

/** Connection tuning, all in milliseconds except the message size. */
export type ConnectionSettings = {
  /** Largest message sent or received, one limit for both ways (default 4 MiB). */
  maxMessageBytes: number;
  /** Idle time after which the server pings the client to find dead connections. */
  keepaliveTimeMs: number;
  /** How long a keepalive ping may go unanswered before the connection is dropped. */
  keepaliveTimeoutMs: number;
  /**
   * Connections are closed (GOAWAY) after this age so clients reconnect and a proxy
   * or DNS round robin spreads them over new replicas, instead of pinning forever.
   */
  maxConnectionAgeMs: number;
  /** Time in-flight calls get to finish after a max-age GOAWAY. */
  maxConnectionAgeGraceMs: number;
};

export const defaultConnectionSettings: ConnectionSettings = {
  maxMessageBytes: 4 * 1024 * 1024,
  keepaliveTimeMs: 60_000,
  keepaliveTimeoutMs: 20_000,
  maxConnectionAgeMs: 300_000,
  maxConnectionAgeGraceMs: 30_000,
};

/** grpc-js channel arguments for these settings. */
export function grpcServerOptions(settings: ConnectionSettings): GrpcServerOptions {
  return {
    "grpc.max_receive_message_length": settings.maxMessageBytes,
    "grpc.max_send_message_length": settings.maxMessageBytes,
    "grpc.keepalive_time_ms": settings.keepaliveTimeMs,
    "grpc.keepalive_timeout_ms": settings.keepaliveTimeoutMs,
    "grpc.max_connection_age_ms": settings.maxConnectionAgeMs,
    "grpc.max_connection_age_grace_ms": settings.maxConnectionAgeGraceMs,
  };
}
