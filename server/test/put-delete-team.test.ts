import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Metadata, status } from "@grpc/grpc-js";
import { errorDomain, errorInfoOf, fieldViolationsOf } from "../src/index.ts";
import { writerMetadata } from "./support/stub-authorizer.ts";
import { getTeam } from "./support/teams-client.ts";
import { useTestServer } from "./support/test-server.ts";
import { deleteTeam, failureOf, putTeam } from "./support/write-calls.ts";

const t = useTestServer({ sqlite: true });
/** Over the store test double, which can play a database that is down. */
const down = useTestServer();

describe("PutTeam", () => {
  it("creates a team, answers it with its version, and GetTeam sees it", async () => {
    const created = await putTeam(t.client, { city: "  Miami ", nickname: " Dolphins " });
    assert.deepEqual(created, {
      city: "Miami",
      nickname: "Dolphins",
      found: true,
      version: created.version,
    });
    assert.ok(created.version && created.version > 10);
    assert.deepEqual(await getTeam(t.client, "miami"), created);
  });

  it("logs the write with the trace id of the call's traceparent", async () => {
    const metadata = writerMetadata();
    metadata.set("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    await putTeam(t.client, { city: "Tulsa", nickname: "Drillers" }, metadata);
    const write = t.logs.lines.find((line) => line.msg === "write" && line.city === "Tulsa");
    assert.equal(write?.trace_id, "4bf92f3577b34da6a3ce929d0e0e4736");
  });

  it("changes a nickname, keeping the stored spelling of the city, with a new version", async () => {
    const before = await getTeam(t.client, "Boston");
    const changed = await putTeam(t.client, { city: "BOSTON", nickname: "Tea Party" });
    assert.equal(changed.city, "Boston");
    assert.equal(changed.nickname, "Tea Party");
    assert.ok((changed.version ?? 0) > (before.version ?? 0));
  });

  it("with if_version N writes only while the team is at N, else ABORTED with current_version", async () => {
    const current = await getTeam(t.client, "Seattle");
    const written = await putTeam(t.client, {
      city: "Seattle",
      nickname: "Sounders",
      if_version: current.version,
    });
    const error = await failureOf(
      putTeam(t.client, { city: "Seattle", nickname: "Late", if_version: current.version }),
    );
    assert.equal(error.code, status.ABORTED);
    assert.match(error.details, /^if_version: the team of "Seattle" is at version \d+ now/);
    assert.deepEqual(errorInfoOf(error.metadata), {
      reason: "VERSION_MISMATCH",
      domain: errorDomain,
      metadata: { current_version: String(written.version) },
    });
    assert.equal((await getTeam(t.client, "Seattle")).nickname, "Sounders");
  });

  it("with if_version 0 creates only a new team, else ALREADY_EXISTS", async () => {
    const created = await putTeam(t.client, { city: "Denver", nickname: "Peaks", if_version: 0 });
    const error = await failureOf(
      putTeam(t.client, { city: "denver", nickname: "Other", if_version: 0 }),
    );
    assert.equal(error.code, status.ALREADY_EXISTS);
    assert.equal(errorInfoOf(error.metadata)?.metadata?.current_version, String(created.version));
  });

  it("refuses bad fields with INVALID_ARGUMENT and a BadRequest naming each field", async () => {
    const error = await failureOf(putTeam(t.client, { city: "  ", nickname: "Tab\there" }));
    assert.equal(error.code, status.INVALID_ARGUMENT);
    assert.deepEqual(fieldViolationsOf(error.metadata), [
      { field: "city", description: "must be 1 to 128 characters after trimming spaces, got 0" },
      { field: "nickname", description: "must not contain control characters, found U+0009" },
    ]);
    assert.equal(
      error.details,
      "city: must be 1 to 128 characters after trimming spaces, got 0; nickname: must not contain control characters, found U+0009",
    );
    const long = await failureOf(putTeam(t.client, { city: "Rome", nickname: "x".repeat(129) }));
    assert.deepEqual(
      fieldViolationsOf(long.metadata).map((v) => v.field),
      ["nickname"],
    );
  });

  it("is UNAUTHENTICATED without a token, before touching the store", async () => {
    const error = await failureOf(
      putTeam(t.client, { city: "Austin", nickname: "Bats" }, new Metadata()),
    );
    assert.equal(error.code, status.UNAUTHENTICATED);
    assert.equal(error.details, "authorization: a Bearer token is required");
    assert.equal((await getTeam(t.client, "Austin")).found, false);
  });

  it("is UNAVAILABLE naming the database when the store is down", async () => {
    down.store.down = true;
    const error = await failureOf(putTeam(down.client, { city: "Austin", nickname: "Bats" }));
    assert.equal(error.code, status.UNAVAILABLE);
    assert.equal(error.details, "the test database is unavailable");
    const read = await failureOf(getTeam(down.client, "Chicago"));
    assert.equal(read.code, status.UNAVAILABLE);
  });
});

describe("DeleteTeam", () => {
  it("deletes a team and answers its canonical city and the delete's version", async () => {
    const team = await putTeam(t.client, { city: "Portland", nickname: "Roses" });
    const deleted = await deleteTeam(t.client, { city: " portland " });
    assert.equal(deleted.city, "Portland");
    assert.ok((deleted.version ?? 0) > (team.version ?? 0));
    assert.equal((await getTeam(t.client, "Portland")).found, false);
  });

  it("is NOT_FOUND for a city with no team", async () => {
    const error = await failureOf(deleteTeam(t.client, { city: "Atlantis" }));
    assert.equal(error.code, status.NOT_FOUND);
    assert.equal(error.details, 'city: no team plays in "Atlantis"');
  });

  it("with if_version N deletes only while the team is at N, else ABORTED", async () => {
    const team = await putTeam(t.client, { city: "Dallas", nickname: "Stars" });
    const error = await failureOf(
      deleteTeam(t.client, { city: "Dallas", if_version: (team.version ?? 0) - 1 }),
    );
    assert.equal(error.code, status.ABORTED);
    assert.equal(errorInfoOf(error.metadata)?.metadata?.current_version, String(team.version));
    await deleteTeam(t.client, { city: "Dallas", if_version: team.version });
  });

  it("is UNAUTHENTICATED without a token, and refuses a blank city naming the field", async () => {
    const anonymous = await failureOf(deleteTeam(t.client, { city: "Chicago" }, new Metadata()));
    assert.equal(anonymous.code, status.UNAUTHENTICATED);
    assert.equal((await getTeam(t.client, "Chicago")).found, true);
    const blank = await failureOf(deleteTeam(t.client, { city: " " }));
    assert.equal(blank.code, status.INVALID_ARGUMENT);
    assert.equal(fieldViolationsOf(blank.metadata)[0]?.field, "city");
  });
});
