import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { status } from "@grpc/grpc-js";
import { fieldViolationsOf } from "../src/index.ts";
import { getTeam, getTeamError, listCities, listError } from "./support/teams-client.ts";
import { useTestServer } from "./support/test-server.ts";

const t = useTestServer({ sqlite: true });

describe("GetTeam", () => {
  it("answers the tutorial's teams with their versions", async () => {
    assert.deepEqual(await getTeam(t.client, "Chicago"), {
      city: "Chicago",
      nickname: "Jackals",
      found: true,
      version: 1,
    });
    assert.deepEqual(await getTeam(t.client, "Philadelphia"), {
      city: "Philadelphia",
      nickname: "Foxes",
      found: true,
      version: 9,
    });
  });

  it("ignores case and surrounding spaces and answers the canonical city", async () => {
    assert.deepEqual(await getTeam(t.client, "  new YORK "), {
      city: "New York",
      nickname: "Metros",
      found: true,
      version: 4,
    });
  });

  it("answers OK with 'not a member', the city as asked and version 0 for an unknown city", async () => {
    assert.deepEqual(await getTeam(t.client, "Miami"), {
      city: "Miami",
      nickname: "not a member",
      found: false,
      version: 0,
    });
  });

  it("refuses a blank city with INVALID_ARGUMENT and a BadRequest naming the field", async () => {
    const error = await getTeamError(t.client, "   ");
    assert.equal(error.code, status.INVALID_ARGUMENT);
    assert.equal(error.details, "city: must be 1 to 128 characters after trimming spaces, got 0");
    assert.deepEqual(fieldViolationsOf(error.metadata), [
      { field: "city", description: "must be 1 to 128 characters after trimming spaces, got 0" },
    ]);
  });

  it("refuses a city over 128 characters, counting characters not bytes", async () => {
    assert.equal((await getTeam(t.client, "é".repeat(128))).found, false);
    const error = await getTeamError(t.client, "é".repeat(129));
    assert.equal(error.code, status.INVALID_ARGUMENT);
    assert.match(error.details, /^city: .* got 129$/);
    assert.equal(fieldViolationsOf(error.metadata)[0]?.field, "city");
  });

  it("keeps serving after bad input", async () => {
    await getTeamError(t.client, "");
    assert.equal((await getTeam(t.client, "Seattle")).nickname, "Orcas");
  });
});

describe("ListTeams", () => {
  it("streams every team in city order for an empty prefix", async () => {
    assert.deepEqual(await listCities(t.client, ""), [
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
    assert.deepEqual(await listCities(t.client, " s"), ["San Francisco", "Seattle"]);
  });

  it("stops at the limit", async () => {
    assert.deepEqual(await listCities(t.client, "", 3), ["Arizona", "Boston", "Chicago"]);
  });

  it("ends OK with no message when nothing matches", async () => {
    assert.deepEqual(await listCities(t.client, "Miami"), []);
  });

  it("refuses a prefix over 128 characters with INVALID_ARGUMENT naming the field", async () => {
    const error = await listError(t.client, "x".repeat(129));
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
