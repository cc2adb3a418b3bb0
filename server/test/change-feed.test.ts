// The change feed (src/watch/change-feed.ts) reads the change log only for the watches it
// has: a bulk import with no watcher must not read every change back.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { setImmediate as turn } from "node:timers/promises";
import type { TeamChange } from "../src/store/team-store.ts";
import { ChangeFeed } from "../src/watch/change-feed.ts";
import { MemoryTeamStore } from "./support/memory-team-store.ts";
import { recordingLogger } from "./support/recording-logger.ts";

/** A store that counts the change-log reads. */
class CountingStore extends MemoryTeamStore {
  logReads = 0;
  override changesSince(version: number, limit: number): Promise<TeamChange[]> {
    this.logReads++;
    return super.changesSince(version, limit);
  }
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await turn();
}

describe("ChangeFeed", () => {
  it("skips to the newest version while no watch listens, and offers every change once one does", async () => {
    const store = new CountingStore([{ city: "Austin", nickname: "Bats" }]);
    const feed = new ChangeFeed(store, 60_000, recordingLogger().logger);
    await feed.start();
    await store.importBatch([
      { city: "Boston", nickname: "Beans" },
      { city: "Chicago", nickname: "Jackals" },
    ]);
    feed.written();
    await until(() => feed.position === 3);
    assert.equal(store.logReads, 0);

    const offered: number[] = [];
    const unsubscribe = feed.subscribe({
      offer: (change) => offered.push(change.version),
      resume: () => assert.fail("resumed"),
    });
    await store.put({ city: "Denver", nickname: "Peaks" });
    await store.put({ city: "Austin", nickname: "Owls" });
    feed.written();
    await until(() => feed.position === 5);
    assert.deepEqual(offered, [4, 5]);
    assert.ok(store.logReads > 0);
    unsubscribe();
    feed.close();
  });
});
