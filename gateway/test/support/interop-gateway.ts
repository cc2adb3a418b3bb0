// A grpc-js interop server (interop-upstream.ts) with a test gateway in front of it, started
// before the calling suite's tests (or file's, at top level) and closed after them.
import { after, before } from "node:test";
import type { Gateway } from "../../src/index.ts";
import { type InteropUpstream, startInteropUpstream } from "./interop-upstream.ts";
import { closeTestGateways, startTestGateway } from "./test-gateway.ts";

export interface InteropGateway {
  readonly upstream: InteropUpstream;
  readonly gateway: Gateway;
}

/** Registers the before/after hooks; read the fields inside tests. */
export function useInteropGateway(): InteropGateway {
  const running = {} as { upstream: InteropUpstream; gateway: Gateway };
  before(async () => {
    running.upstream = await startInteropUpstream();
    running.gateway = await startTestGateway(running.upstream.address);
  });
  after(async () => {
    await closeTestGateways();
    running.upstream.close();
  });
  return running;
}
