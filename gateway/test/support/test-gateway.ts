// One way for tests to start a gateway: port 0 on loopback, silent, every service
// forwarded (the tests' fake upstreams serve made-up ones), closed by closeTestGateways()
// (each test file's afterEach/after) instead of a cleanup list per file.
import { type Gateway, type GatewayOptions, startGateway } from "../../src/index.ts";

const started = new Set<Gateway>();

/**
 * Starts a gateway in front of `upstream` (default: a port nothing listens on) on a free
 * loopback port. `options` override the test defaults.
 */
export async function startTestGateway(
  upstream = "127.0.0.1:1",
  options: GatewayOptions = {},
): Promise<Gateway> {
  const gateway = await startGateway({
    port: 0,
    host: "127.0.0.1",
    upstream,
    logLevel: "silent",
    services: "*",
    // The fake upstreams answer no health checks; tests of the pool turn them on.
    upstreamHealthIntervalMs: 0,
    ...options,
  });
  started.add(gateway);
  return gateway;
}

/** Closes every gateway startTestGateway started and that is still open. */
export async function closeTestGateways(): Promise<void> {
  const open = [...started];
  started.clear();
  await Promise.all(open.map((gateway) => gateway.close()));
}
