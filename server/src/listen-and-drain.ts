// Binding a grpc-js server to its address, and draining it on shutdown.
import type { Server, ServerCredentials } from "@grpc/grpc-js";
import type { Logger } from "./logger.ts";

/** `host:port`, with brackets for an IPv6 literal such as `::`. */
export function hostPort(host: string, port: number): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}

export function bind(
  server: Server,
  address: string,
  credentials: ServerCredentials,
): Promise<number> {
  return new Promise((resolve, reject) => {
    server.bindAsync(address, credentials, (error, port) => {
      if (error)
        reject(
          Object.assign(new Error(`cannot listen on ${address}: ${error.message}`), {
            cause: error,
          }),
        );
      else resolve(port);
    });
  });
}

/**
 * Health first (balancers stop sending), then GOAWAY to every connection and close
 * the listener; in-flight calls finish unless they outlast the timeout.
 */
export function drainAndStop(
  server: Server,
  address: string,
  drainTimeoutMs: number,
  health: { notServing(): void },
  logger: Logger,
): Promise<void> {
  health.notServing();
  logger.info("draining", { drainTimeoutMs });
  // drain() exists from grpc-js 1.10; it sends GOAWAY and cuts what is left after the grace time.
  if (typeof server.drain === "function") server.drain(address, drainTimeoutMs);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      logger.warn("drain timed out; cutting remaining calls", { drainTimeoutMs });
      server.forceShutdown();
      resolve();
    }, drainTimeoutMs);
    server.tryShutdown((error) => {
      clearTimeout(timer);
      if (error) logger.error("shutdown failed", { error: error.message });
      else logger.info("stopped");
      resolve();
    });
  });
}
