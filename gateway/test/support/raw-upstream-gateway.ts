// A test gateway in front of a bare node:http2 upstream (raw-upstream.ts), both closed after
// each test, for the files that script the upstream's every move.
import { afterEach } from "node:test";
import type { Gateway, GatewayOptions } from "../../src/index.ts";
import { type RawUpstream, type StreamHandler, startRawUpstream } from "./raw-upstream.ts";
import { closeTestGateways, startTestGateway } from "./test-gateway.ts";

const cleanups: Array<() => Promise<void> | void> = [];

/** Registers, for the calling file, an afterEach that closes its gateways and cleanups. */
export function closeAfterEachTest(): void {
  afterEach(async () => {
    await closeTestGateways();
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
}

/** Runs `cleanup` after the current test (see closeAfterEachTest). */
export function afterThisTest(cleanup: () => Promise<void> | void): void {
  cleanups.push(cleanup);
}

/** A raw upstream answering with `handler`, closed after the test. */
export async function rawUpstreamForTest(handler: StreamHandler): Promise<RawUpstream> {
  const upstream = await startRawUpstream(handler);
  afterThisTest(() => upstream.close());
  return upstream;
}

/** A raw upstream answering with `handler`, and a test gateway in front of it. */
export async function gatewayOnRawUpstream(
  handler: StreamHandler,
  options: Partial<GatewayOptions> = {},
): Promise<{ upstream: RawUpstream; gateway: Gateway }> {
  const upstream = await rawUpstreamForTest(handler);
  const gateway = await startTestGateway(upstream.address, options);
  return { upstream, gateway };
}
