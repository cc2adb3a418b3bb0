import assert from "node:assert/strict";
import { beforeEach, describe, it } from "node:test";
import { Metadata, status } from "@grpc/grpc-js";
import { testSubject, testToken } from "./support/stub-authorizer.ts";
import { getTeam } from "./support/teams-client.ts";
import { useTestServer } from "./support/test-server.ts";
import { failureOf, importTeams } from "./support/write-calls.ts";

const t = useTestServer();
beforeEach(() => {
  t.store.batchSizes.length = 0;
});

function* cities(from: number, count: number, nickname = "Imported") {
  for (let i = from; i < from + count; i++) yield { city: `Town ${i}`, nickname };
}

describe("ImportTeams", () => {
  it("counts created, updated and unchanged rows and answers the directory's version", async () => {
    const answer = await importTeams(t.client, [
      { city: "Austin", nickname: "Bats" },
      { city: "chicago", nickname: "Jackals" },
      { city: "Boston", nickname: "Beans" },
    ]);
    assert.deepEqual(
      { ...answer, version: undefined },
      { created: 1, updated: 1, unchanged: 1, rejected_count: 0, rejected: [], version: undefined },
    );
    assert.equal(answer.version, await t.store.currentVersion());
    assert.equal((await getTeam(t.client, "Austin")).nickname, "Bats");
    assert.equal((await getTeam(t.client, "Boston")).nickname, "Beans");
  });

  it("writes in transactions of 1,000 rows", async () => {
    const answer = await importTeams(t.client, cities(0, 2_500));
    assert.equal(answer.created, 2_500);
    assert.deepEqual(t.store.batchSizes, [1_000, 1_000, 500]);
  });

  it("skips bad rows, listing each with its index, field and what is wrong", async () => {
    const chicago = await getTeam(t.client, "Chicago");
    const answer = await importTeams(t.client, [
      { city: "Reno", nickname: "Aces" },
      { city: " ", nickname: "Nobody" },
      { city: "Chicago", nickname: "Stale", if_version: (chicago.version ?? 0) + 1_000 },
      { city: "Tulsa", nickname: "Line\nbreak" },
      { city: "Reno", nickname: "Again", if_version: 0 },
    ]);
    assert.equal(answer.created, 1);
    assert.equal(answer.rejected_count, 4);
    assert.deepEqual(answer.rejected, [
      {
        index: 1,
        field: "city",
        description: "city: must be 1 to 128 characters after trimming spaces, got 0",
      },
      {
        index: 2,
        field: "if_version",
        description: `if_version: ${(chicago.version ?? 0) + 1_000} but the team is at version ${chicago.version}`,
      },
      {
        index: 3,
        field: "nickname",
        description: "nickname: must not contain control characters, found U+000A",
      },
      {
        index: 4,
        field: "if_version",
        description: `if_version: 0 asks for a new team, but the city has one (version ${(await getTeam(t.client, "Reno")).version})`,
      },
    ]);
    assert.equal((await getTeam(t.client, "Chicago")).nickname, "Jackals");
  });

  it("counts every rejected row but lists the first 100, lowest indexes first", async () => {
    const rows = Array.from({ length: 150 }, (_, i) => ({ city: `Bad ${i}`, nickname: "" }));
    const answer = await importTeams(t.client, rows);
    assert.equal(answer.rejected_count, 150);
    assert.deepEqual(
      answer.rejected?.map((row) => row.index),
      Array.from({ length: 100 }, (_, i) => i),
    );
  });

  it("is UNAUTHENTICATED without a token and writes nothing", async () => {
    const before = await t.store.currentVersion();
    const error = await failureOf(
      importTeams(t.client, cities(10_000, 10), { metadata: new Metadata() }),
    );
    assert.equal(error.code, status.UNAUTHENTICATED);
    assert.equal(await t.store.currentVersion(), before);
  });

  it("logs the write with the token's subject, never the token", async () => {
    await importTeams(t.client, cities(20_000, 3));
    const line = await t.logs.waitFor((l) => l.method === "ImportTeams" && l.created === 3);
    assert.equal(line.subject, testSubject);
    assert.ok(!t.logs.lines.some((l) => JSON.stringify(l).includes(testToken)));
  });

  it("when cancelled mid-stream keeps whole batches only, never a partial one", async () => {
    const before = t.store.snapshot().length;
    let release: () => void = () => {};
    const secondBatchHeld = new Promise<void>((resolve) => {
      t.store.beforeBatchCommit = async () => {
        if (t.store.batchSizes.length !== 1) return;
        resolve();
        await new Promise<void>((r) => {
          release = r;
        });
      };
    });
    let cancel: () => void = () => {};
    const call = failureOf(
      importTeams(t.client, cities(30_000, 10_000), {
        onWritten: (_count, handle) => {
          cancel = handle.cancel;
        },
      }),
    );
    await secondBatchHeld;
    cancel();
    assert.equal((await call).code, status.CANCELLED);
    release();
    t.store.beforeBatchCommit = undefined;
    await t.logs.waitFor((l) => l.method === "ImportTeams" && l.ended === "cancelled");
    assert.deepEqual(t.store.batchSizes, [1_000, 1_000]);
    assert.equal(t.store.snapshot().length, before + 2_000);
  });
});
