// A rolling graceful restart of all three replicas behind the gateway's pool, under a
// steady load of unary calls and server streams, fails no call: each replica in turn gets
// SIGTERM (health NOT_SERVING, GOAWAY, drain, exit), its supervisor starts it again on its
// port, and the next one goes only once it is back in rotation and taking calls.
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { ListTeamsRequest, TeamRequest } from "@teams/web/gen";
import { eventually } from "./support/eventually.ts";
import { callGrpcWeb } from "./support/grpc-web-request.ts";
import { type ReplicaSet, startReplicaSet } from "./support/replica-set.ts";
import { closeTestGateways, startTestGateway } from "./support/test-gateway.ts";

let replicas: ReplicaSet | undefined;
after(async () => {
  await closeTestGateways();
  await replicas?.stop();
});

const chicago = new TeamRequest({ city: "Chicago" }).serialize();
const everyTeam = new ListTeamsRequest({ prefix: "" }).serialize();

describe("a rolling graceful restart of three replicas", { timeout: 180_000 }, () => {
  it("fails no call under steady load", async () => {
    replicas = await startReplicaSet(3);
    const gateway = await startTestGateway(replicas.upstream, {
      upstreamHealthIntervalMs: 200,
      services: "Teams",
    });
    const endpoint = (index: number) => gateway.upstreamStats().endpoints[index];

    const failures: string[] = [];
    let calls = 0;
    let running = true;
    const load = Promise.all(
      [0, 1, 2, 3, 4, 5].map(async (worker) => {
        while (running) {
          const stream = worker === 0; // one worker runs ListTeams streams, the rest GetTeam
          const result = await callGrpcWeb(
            gateway.url,
            stream ? "/Teams/ListTeams" : "/Teams/GetTeam",
            [stream ? everyTeam : chicago],
            { text: worker % 2 === 0 },
          ).catch((error: Error) => ({ status: -1, message: error.message, messages: [] }));
          calls += 1;
          const complete = stream ? result.messages.length > 1 : result.messages.length === 1;
          if (result.status !== 0 || !complete)
            failures.push(
              `${stream ? "ListTeams" : "GetTeam"}: ${result.status} ${result.message}`,
            );
        }
      }),
    );

    for (const index of [0, 1, 2]) {
      const { downMs } = await replicas.restart(index, "SIGTERM");
      console.log(`replica ${index} back after ${Math.round(downMs)} ms; ${calls} calls`);
      const before = endpoint(index)?.calls ?? 0;
      await eventually(
        () => endpoint(index)?.healthy === true && (endpoint(index)?.calls ?? 0) > before + 20,
        15_000,
      ).catch(() => {
        throw new Error(`replica ${index} not back: ${JSON.stringify(endpoint(index))}`);
      });
    }
    running = false;
    await load;
    assert.deepEqual(failures, [], `${failures.length} of ${calls} calls failed`);
    assert.ok(calls > 300, `only ${calls} calls ran`);
  });
});
