import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { TeamsClient } from "../src/gen/teams.ts";
import { Logger } from "../src/logger.ts";
import { PostgresChangeSignal } from "../src/watch/postgres-change-signal.ts";
import { MemoryTeamStore } from "./support/memory-team-store.ts";
import { type PostgresCluster, startPostgresCluster } from "./support/postgres-cluster.ts";
import { teamsClient } from "./support/teams-client.ts";
import { startTestServer } from "./support/test-server.ts";
import { changesAfterSnapshot, watchTeams } from "./support/watch-client.ts";
import { putTeam } from "./support/write-calls.ts";

let cluster: PostgresCluster;
let url: string;
const quiet = new Logger("silent");
const fast = { checkMs: 100, checkTimeoutMs: 1_000, retryMs: 50 };

before(async () => {
  cluster = await startPostgresCluster();
  url = await cluster.createDatabase();
});
after(() => cluster.destroy());

/** Resolves the next time `signal` wakes its subscribers. */
function nextWake(signal: PostgresChangeSignal): Promise<void> {
  return new Promise((resolve) => {
    const unsubscribe = signal.subscribe(() => {
      unsubscribe();
      resolve();
    });
  });
}

describe("PostgresChangeSignal (LISTEN/NOTIFY between replicas)", () => {
  it("wakes every replica when one publishes, and reconnects after the database restarts", async () => {
    const one = new PostgresChangeSignal(url, "test db", quiet, fast);
    const two = new PostgresChangeSignal(url, "test db", quiet, fast);
    await Promise.all([one.start(), two.start()]);
    try {
      let woken = nextWake(two);
      one.publish();
      await woken;
      // The database goes away and comes back: the listening connection is replaced,
      // and the reconnect itself wakes the feed (notifications may have been missed).
      await cluster.stop();
      const reconnected = Promise.all([nextWake(one), nextWake(two)]);
      await cluster.start();
      await reconnected;
      woken = nextWake(two);
      one.publish();
      await woken;
    } finally {
      await Promise.all([one.close(), two.close()]);
    }
  });

  it("brings a write through one replica to a watcher on another without waiting for the poll", {
    timeout: 30_000,
  }, async () => {
    const store = new MemoryTeamStore([{ city: "Chicago", nickname: "Jackals" }]);
    const signals = [0, 1].map(() => new PostgresChangeSignal(url, "test db", quiet, fast));
    await Promise.all(signals.map((signal) => signal.start()));
    // The replicas never poll: only the notification can bring the write.
    const replicas = await Promise.all(
      signals.map((changeSignal) =>
        startTestServer({ changeSignal, watch: { pollMs: 2 ** 31 - 1 } }, store),
      ),
    );
    const [writer, reader] = replicas.map(({ server }) => teamsClient(server.port)) as [
      TeamsClient,
      TeamsClient,
    ];
    try {
      await expectWriteToReachWatcher(writer, reader);
    } finally {
      writer.close();
      reader.close();
      await Promise.all(replicas.map(({ server }) => server.shutdown()));
      await Promise.all(signals.map((signal) => signal.close()));
    }
  });

  it("wires itself when servers open PostgreSQL: a write on one replica reaches a watcher on another", {
    timeout: 60_000,
  }, async () => {
    const shared = await cluster.createDatabase();
    const never = { pollMs: 2 ** 31 - 1 };
    const first = await startTestServer({ databaseUrl: shared, watch: never });
    const second = await startTestServer({ databaseUrl: shared, watch: never });
    const writer = teamsClient(first.server.port);
    const reader = teamsClient(second.server.port);
    try {
      await expectWriteToReachWatcher(writer, reader);
    } finally {
      writer.close();
      reader.close();
      await Promise.all([first.server.shutdown(), second.server.shutdown()]);
    }
  });
});

/** A team put through `writer` shows up, once, on a watch opened through `reader`. */
async function expectWriteToReachWatcher(writer: TeamsClient, reader: TeamsClient): Promise<void> {
  const watch = watchTeams(reader, { prefix: "Miami" });
  await watch.until((events) => events.some((e) => e.startsWith("snapshot_complete")));
  const team = await putTeam(writer, { city: "Miami", nickname: "Heat" });
  await watch.until((events) => changesAfterSnapshot(events).length === 1);
  assert.deepEqual(changesAfterSnapshot(watch.events), [`put Miami=Heat @${team.version}`]);
  watch.call.cancel();
}
