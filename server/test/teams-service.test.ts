import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { status } from "@grpc/grpc-js";
import type { TeamsClient } from "../src/gen/teams.ts";
import { fieldViolationsOf, type RunningServer, startServer } from "../src/index.ts";
import {
  getTeam,
  getTeamError,
  listCities,
  listError,
  teamsClient,
} from "./support/teams-client.ts";

let server: RunningServer;
let client: TeamsClient;

before(async () => {
  server = await startServer({ port: 0, host: "127.0.0.1", logLevel: "silent" });
  client = teamsClient(server.port);
});
after(async () => {
  client.close();
  await server.shutdown();
});

describe("GetTeam", () => {
  it("answers the tutorial's teams", async () => {
    assert.deepEqual(await getTeam(client, "Chicago"), {
      city: "Chicago",
      nickname: "Jackals",
      found: true,
    });
    assert.deepEqual(await getTeam(client, "Philadelphia"), {
      city: "Philadelphia",
      nickname: "Foxes",
      found: true,
    });
  });

  it("ignores case and surrounding spaces and answers the canonical city", async () => {
    assert.deepEqual(await getTeam(client, "  new YORK "), {
      city: "New York",
      nickname: "Metros",
      found: true,
    });
  });

  it("answers OK with 'not a member' and the city as asked for an unknown city", async () => {
    assert.deepEqual(await getTeam(client, "Miami"), {
      city: "Miami",
      nickname: "not a member",
      found: false,
    });
  });

  it("refuses a blank city with INVALID_ARGUMENT and a BadRequest naming the field", async () => {
    const error = await getTeamError(client, "   ");
    assert.equal(error.code, status.INVALID_ARGUMENT);
    assert.equal(error.details, "city: must be 1 to 128 characters after trimming spaces, got 0");
    assert.deepEqual(fieldViolationsOf(error.metadata), [
      { field: "city", description: "must be 1 to 128 characters after trimming spaces, got 0" },
    ]);
  });

  it("refuses a city over 128 characters, counting characters not bytes", async () => {
    assert.equal((await getTeam(client, "é".repeat(128))).found, false);
    const error = await getTeamError(client, "é".repeat(129));
    assert.equal(error.code, status.INVALID_ARGUMENT);
    assert.match(error.details, /^city: .* got 129$/);
    assert.equal(fieldViolationsOf(error.metadata)[0]?.field, "city");
  });

  it("keeps serving after bad input", async () => {
    await getTeamError(client, "");
    assert.equal((await getTeam(client, "Seattle")).nickname, "Orcas");
  });
});

describe("ListTeams", () => {
  it("streams every team in city order for an empty prefix", async () => {
    assert.deepEqual(await listCities(client, ""), [
      "Arizona",
      "Boston",
      "Chicago",
      "Detroit",
      "Los Angeles",
      "Minneapolis",
      "New York",
      "Philadelphia",
      "San Francisco",
      "Seattle",
    ]);
  });

  it("streams only cities starting with the prefix, case and spaces ignored", async () => {
    assert.deepEqual(await listCities(client, " s"), ["San Francisco", "Seattle"]);
  });

  it("stops at the limit", async () => {
    assert.deepEqual(await listCities(client, "", 3), ["Arizona", "Boston", "Chicago"]);
  });

  it("ends OK with no message when nothing matches", async () => {
    assert.deepEqual(await listCities(client, "Miami"), []);
  });

  it("refuses a prefix over 128 characters with INVALID_ARGUMENT naming the field", async () => {
    const error = await listError(client, "x".repeat(129));
    assert.equal(error.code, status.INVALID_ARGUMENT);
    assert.equal(
      error.details,
      "prefix: must be at most 128 characters after trimming spaces, got 129",
    );
    assert.deepEqual(fieldViolationsOf(error.metadata), [
      {
        field: "prefix",
        description: "must be at most 128 characters after trimming spaces, got 129",
      },
    ]);
  });
});
