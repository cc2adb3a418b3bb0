import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { credentials, status } from "@grpc/grpc-js";
import { TeamsClient } from "../src/gen/teams.ts";
import { errorInfoOf } from "../src/index.ts";
import { teamsClient } from "./support/teams-client.ts";
import { startTestServer } from "./support/test-server.ts";
import { changesAfterSnapshot, watchTeams } from "./support/watch-client.ts";
import { putTeam } from "./support/write-calls.ts";

/** A server with `watch` settings and one client, for one test; stopped after it. */
async function withServer(
  options: Parameters<typeof startTestServer>[0],
  test: (
    running: Awaited<ReturnType<typeof startTestServer>> & {
      client: ReturnType<typeof teamsClient>;
    },
  ) => Promise<void>,
): Promise<void> {
  const running = await startTestServer(options);
  const client = teamsClient(running.server.port);
  try {
    await test({ ...running, client });
  } finally {
    client.close();
    await running.server.shutdown();
  }
}

const isSnapshotComplete = (events: string[]) =>
  events.some((e) => e.startsWith("snapshot_complete"));

describe("WatchTeams over time", () => {
  it("sends heartbeats carrying the newest version on a quiet watch", async () => {
    await withServer({ watch: { heartbeatMs: 50 } }, async ({ client, store }) => {
      const watch = watchTeams(client, { prefix: "Chicago" });
      await watch.until((events) => events.filter((e) => e.startsWith("heartbeat")).length >= 2);
      const current = await store.currentVersion();
      assert.deepEqual(watch.events.filter((e) => e.startsWith("heartbeat")).slice(0, 2), [
        `heartbeat @${current}`,
        `heartbeat @${current}`,
      ]);
      watch.call.cancel();
    });
  });

  it("ends a watch at its maximum age with UNAVAILABLE / WATCH_RESUME and the version to resume from", async () => {
    await withServer({ watch: { maxAgeMs: 100 } }, async ({ client }) => {
      const watch = watchTeams(client);
      const ended = await watch.ended;
      assert.ok(isSnapshotComplete(watch.events));
      assert.equal(ended?.code, status.UNAVAILABLE);
      assert.equal(
        ended?.details,
        "this watch reached its maximum age; watch again with since_version 10",
      );
      assert.equal(errorInfoOf(ended?.metadata)?.reason, "WATCH_RESUME");
    });
  });

  it("fans one change out to every watcher", async () => {
    await withServer({}, async ({ client }) => {
      const watches = Array.from({ length: 5 }, () => watchTeams(client));
      await Promise.all(watches.map((watch) => watch.until(isSnapshotComplete)));
      const team = await putTeam(client, { city: "Miami", nickname: "Heat" });
      for (const watch of watches) {
        await watch.until((events) => events.length === 12);
        assert.deepEqual(changesAfterSnapshot(watch.events), [`put Miami=Heat @${team.version}`]);
        watch.call.cancel();
      }
    });
  });

  it("ends a watcher that stops reading once it is too far behind, and the others get every change", async () => {
    await withServer({ watch: { queueLimit: 50 } }, async ({ client, logs, server }) => {
      // Its own connection: a stream nobody reads fills the connection's HTTP/2 window too.
      const slowClient = new TeamsClient(`127.0.0.1:${server.port}`, credentials.createInsecure(), {
        "grpc.use_local_subchannel_pool": 1,
      });
      const slow = watchTeams(slowClient);
      const fast = watchTeams(client);
      await Promise.all([slow.until(isSnapshotComplete), fast.until(isSnapshotComplete)]);
      slow.call.pause(); // HTTP/2 flow control then holds the server's writes to it
      let cut = false;
      logs
        .waitFor((line) => line.msg === "slow watcher ended")
        .then(() => {
          cut = true;
        });
      let written = 0;
      while (!cut) {
        const puts = Array.from({ length: 8 }, (_, i) =>
          putTeam(client, { city: `Town ${written + i}`, nickname: "Slow" }),
        );
        await Promise.all(puts);
        written += puts.length;
      }
      slow.call.resume();
      const ended = await slow.ended;
      assert.equal(ended?.code, status.UNAVAILABLE);
      assert.equal(errorInfoOf(ended?.metadata)?.reason, "WATCH_RESUME");
      assert.match(
        ended?.details ?? "",
        /^this watcher fell more than 50 changes behind; watch again with since_version \d+$/,
      );
      await fast.until((events) => changesAfterSnapshot(events).length === written);
      const versions = changesAfterSnapshot(fast.events).map((e) => Number(e.split("@")[1]));
      assert.deepEqual(
        versions,
        Array.from({ length: written }, (_, i) => 11 + i),
      );
      fast.call.cancel();
      slowClient.close();
    });
  });

  it("holds a paused watcher's changes until it reads again, then sends each once, in order", {
    timeout: 60_000,
  }, async () => {
    await withServer({}, async ({ client, server }) => {
      // Its own connection, paused: HTTP/2 flow control fills and the server's writes to it
      // wait for 'drain' (640 changes of some 280 bytes are well over a 64 KB window).
      const pausedClient = new TeamsClient(
        `127.0.0.1:${server.port}`,
        credentials.createInsecure(),
        { "grpc.use_local_subchannel_pool": 1 },
      );
      const paused = watchTeams(pausedClient);
      await paused.until(isSnapshotComplete);
      paused.call.pause();
      const long = (i: number, fill: string) => `${String(i).padStart(4, "0")} ${fill.repeat(120)}`;
      const written = 640;
      for (let i = 0; i < written; i += 16) {
        await Promise.all(
          Array.from({ length: 16 }, (_, j) =>
            putTeam(client, { city: long(i + j, "c"), nickname: long(i + j, "n") }),
          ),
        );
      }
      paused.call.resume();
      await paused.until((events) => changesAfterSnapshot(events).length >= written);
      const versions = changesAfterSnapshot(paused.events).map((e) => Number(e.split("@")[1]));
      assert.deepEqual(
        versions,
        Array.from({ length: written }, (_, i) => 11 + i),
      );
      paused.call.cancel();
      pausedClient.close();
    });
  });
  it("ends every watch with UNAVAILABLE / WATCH_RESUME when the server shuts down, without waiting for the drain timeout", {
    timeout: 20_000,
  }, async () => {
    const { server, store } = await startTestServer({ drainTimeoutMs: 600_000 });
    const client = teamsClient(server.port);
    try {
      const watch = watchTeams(client);
      await watch.until(isSnapshotComplete);
      await server.shutdown();
      const ended = await watch.ended;
      assert.equal(ended?.code, status.UNAVAILABLE);
      assert.equal(errorInfoOf(ended?.metadata)?.reason, "WATCH_RESUME");
      assert.equal(
        ended?.details,
        `this server is shutting down; watch again with since_version ${await store.currentVersion()}`,
      );
    } finally {
      client.close();
    }
  });
});
