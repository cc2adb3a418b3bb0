import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { status } from "@grpc/grpc-js";
import { startServer } from "../src/index.ts";
import { getTeam, getTeamError, teamsClient } from "./support/teams-client.ts";

describe("maxMessageBytes (MAX_MESSAGE_BYTES)", () => {
  it("refuses a larger request with RESOURCE_EXHAUSTED and keeps serving", async () => {
    const server = await startServer({
      port: 0,
      host: "127.0.0.1",
      logLevel: "silent",
      maxMessageBytes: 1024,
    });
    const client = teamsClient(server.port);
    try {
      const error = await getTeamError(client, "x".repeat(2000));
      assert.equal(error.code, status.RESOURCE_EXHAUSTED);
      assert.match(error.details, /larger than max \(\d+ vs 1024\)/);
      assert.equal((await getTeam(client, "Detroit")).nickname, "Wheels");
    } finally {
      client.close();
      await server.shutdown();
    }
  });
});
