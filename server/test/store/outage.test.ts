// A database that goes away: calls fail "unavailable" naming the database (never its
// credentials or the driver's text), health turns NOT_SERVING, and both recover
// without a restart once it is back.
import assert from "node:assert/strict";
import { once } from "node:events";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { status } from "@grpc/grpc-js";
import { startServer } from "../../src/index.ts";
import { openTeamStore } from "../../src/store/open-team-store.ts";
import { StoreError } from "../../src/store/team-store.ts";
import { healthClient } from "../support/health-client.ts";
import { usePostgresCluster } from "../support/postgres-cluster.ts";
import { getTeam, getTeamError, teamsClient } from "../support/teams-client.ts";
import { tempDir } from "../support/teams-files.ts";

function unavailable(database: string) {
  return (error: unknown) => {
    assert.ok(error instanceof StoreError, String(error));
    assert.equal(error.kind, "unavailable");
    assert.match(error.message, new RegExp(`^PostgreSQL ${database} is unavailable: [a-z ]+$`));
    assert.doesNotMatch(error.message, /postgres@|password|ECONN/);
    return true;
  };
}

describe("a database that is down", () => {
  const cluster = usePostgresCluster();
  const temp = tempDir();
  after(() => temp.cleanup());
  const root = temp.dir;

  it("fails calls unavailable naming host:port/dbname, and serves again once it is back", async () => {
    const databaseUrl = (await cluster().createDatabase()).replace("postgres@", "postgres:s3cret@");
    const database = `127\\.0\\.0\\.1:${cluster().port}/teams_\\d+`;
    const store = await openTeamStore({ databaseUrl });
    try {
      await store.put({ city: "Reno", nickname: "Aces" });
      await cluster().stop();
      await assert.rejects(store.get("Omaha"), unavailable(database));
      await assert.rejects(store.put({ city: "Omaha", nickname: "Storm" }), unavailable(database));
      await assert.rejects(store.ping(), unavailable(database));
      await cluster().start();
      await store.put({ city: "Omaha", nickname: "Storm" });
      assert.equal((await store.get("omaha"))?.nickname, "Storm");
    } finally {
      await store.close();
    }
  });

  it("turns health NOT_SERVING while the database is unreachable, SERVING once it answers", async () => {
    const databaseUrl = await cluster().createDatabase();
    const server = await startServer({
      port: 0,
      host: "127.0.0.1",
      logLevel: "silent",
      storage: { databaseUrl },
      healthCheckMs: 50,
    });
    const health = healthClient(server.port);
    const teams = teamsClient(server.port);
    const watch = health.watch({ service: "Teams" });
    watch.on("error", () => {}); // cancelled below
    // Every status in arrival order; `next` waits for the one after those already taken.
    const statuses: string[] = [];
    let taken = 0;
    watch.on("data", (response: { status: string }) => {
      statuses.push(response.status);
      watch.emit("status");
    });
    const next = async () => {
      while (statuses.length <= taken) await once(watch, "status");
      return statuses[taken++];
    };
    try {
      assert.equal(await next(), "SERVING");
      assert.equal((await getTeam(teams, "Chicago")).nickname, "Jackals");
      await cluster().stop();
      assert.equal(await next(), "NOT_SERVING");
      const error = await getTeamError(teams, "Nashville");
      assert.equal(error.code, status.UNAVAILABLE);
      assert.match(error.details, /^PostgreSQL 127\.0\.0\.1:\d+\/teams_\d+ is unavailable/);
      await cluster().start();
      assert.equal(await next(), "SERVING");
      assert.equal((await getTeam(teams, "Nashville")).found, false);
      assert.deepEqual(statuses, ["SERVING", "NOT_SERVING", "SERVING"]);
    } finally {
      watch.cancel();
      health.close();
      teams.close();
      await server.shutdown();
    }
  });

  it("names the SQLite file when it cannot be opened", async () => {
    const blocker = join(root, "not-a-dir");
    writeFileSync(blocker, "");
    await assert.rejects(openTeamStore({ dataDir: blocker }), (error: unknown) => {
      assert.ok(error instanceof StoreError);
      assert.equal(error.kind, "unavailable");
      assert.match(error.message, /^cannot open SQLite database .*not-a-dir\/teams\.db: /);
      return true;
    });
  });
});
