// SIGTERM drain under a steady request loop (issue 11 §7): idle keep-alive connections
// must be closed gracefully, so no client loses a request it already sent. Answers during
// the drain carry Connection: close; a loop then meets a refused connection, never a reset.
import assert from "node:assert/strict";
import http from "node:http";
import { after, before, describe, it } from "node:test";
import { callGrpcWeb } from "./support/grpc-web-request.ts";
import { answer, type RawUpstream, startRawUpstream } from "./support/raw-upstream.ts";
import { closeTestGateways, startTestGateway } from "./support/test-gateway.ts";

let upstream: RawUpstream;
before(async () => {
  upstream = await startRawUpstream((stream) => answer(stream, [Buffer.from("ok")]));
});
after(async () => {
  await closeTestGateways();
  await upstream.close();
});

interface LoopResult {
  readonly ok: number;
  readonly refusedWhileDraining: number;
  readonly closeHeaders: number;
  /** How the loop ended: the error code of the call that failed. */
  readonly end: string;
}

/** Calls back to back on one kept-alive connection until a call fails. */
async function requestLoop(
  url: string,
  agent: http.Agent,
  started: () => void,
): Promise<LoopResult> {
  let ok = 0;
  let refusedWhileDraining = 0;
  let closeHeaders = 0;
  for (;;) {
    const outcome = await callGrpcWeb(url, "/Teams/GetTeam", [Buffer.from("x")], { agent }).catch(
      (error: NodeJS.ErrnoException) => error,
    );
    if (outcome instanceof Error) {
      return { ok, refusedWhileDraining, closeHeaders, end: outcome.code ?? outcome.message };
    }
    if (outcome.headers.connection === "close") closeHeaders += 1;
    if (outcome.status === 0) ok += 1;
    else if (outcome.status === 14) refusedWhileDraining += 1;
    else assert.fail(`unexpected status ${outcome.status}: ${outcome.message}`);
    if (ok === 5) started();
  }
}

describe("drain under a steady request loop", () => {
  it("resets no connection: every loop ends on a refused connection", async () => {
    for (let round = 0; round < 5; round += 1) {
      const gateway = await startTestGateway(upstream.address);
      const agents = Array.from(
        { length: 6 },
        () => new http.Agent({ keepAlive: true, maxSockets: 1 }),
      );
      let running = 0;
      let startDrain: () => void = () => {};
      const allStarted = new Promise<void>((resolve) => {
        startDrain = () => {
          running += 1;
          if (running === agents.length) resolve();
        };
      });
      const loops = agents.map((agent) => requestLoop(gateway.url, agent, startDrain));
      await allStarted;
      await gateway.drain();
      const results = await Promise.all(loops);
      for (const agent of agents) agent.destroy();
      for (const result of results) {
        assert.equal(result.end, "ECONNREFUSED", `round ${round}: ${JSON.stringify(result)}`);
      }
    }
  });
});
