import assert from "node:assert/strict";
import { once } from "node:events";
import { describe, it } from "node:test";
import { type ServiceError, status } from "@grpc/grpc-js";
import { TeamRequest, type TeamResponse } from "../src/gen/teams.ts";
import { fieldViolationsOf } from "../src/index.ts";
import { useTestServer } from "./support/test-server.ts";

const t = useTestServer({ sqlite: true });

describe("LookupTeams", () => {
  it("answers each city as it arrives, in order, while the client keeps the stream open", async () => {
    const call = t.client.LookupTeams();
    const answers: string[] = [];
    for (const city of ["Chicago", " philadelphia ", "Miami"]) {
      call.write(new TeamRequest({ city }));
      // The next city is sent only once this one is answered: nothing waits for the end of the stream.
      const [team] = (await once(call, "data")) as [TeamResponse];
      answers.push(`${team.city} ${team.nickname} ${team.found}`);
    }
    call.end();
    await once(call, "end");
    assert.deepEqual(answers, [
      "Chicago Jackals true",
      "Philadelphia Foxes true",
      "Miami not a member false",
    ]);
  });

  it("keeps the order of many cities sent at once", async () => {
    const cities = Array.from({ length: 500 }, (_, i) => (i % 2 ? "Seattle" : `Nowhere ${i}`));
    const call = t.client.LookupTeams();
    const received: string[] = [];
    call.on("data", (team: TeamResponse) => received.push(team.city));
    for (const city of cities) call.write(new TeamRequest({ city }));
    call.end();
    await once(call, "end");
    assert.deepEqual(received, cities);
  });

  it("ends the stream with INVALID_ARGUMENT naming the bad city's index, after the answers before it", async () => {
    const call = t.client.LookupTeams();
    const received: string[] = [];
    call.on("data", (team: TeamResponse) => received.push(team.city));
    for (const city of ["Boston", "Detroit", "  ", "Seattle"])
      call.write(new TeamRequest({ city }));
    call.end();
    const [error] = (await once(call, "error")) as [ServiceError];
    assert.equal(error.code, status.INVALID_ARGUMENT);
    assert.deepEqual(fieldViolationsOf(error.metadata), [
      {
        field: "city",
        description: "message 2: must be 1 to 128 characters after trimming spaces, got 0",
      },
    ]);
    assert.deepEqual(received, ["Boston", "Detroit"]);
  });
});
