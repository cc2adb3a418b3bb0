// One suite for the TeamStore contract, run against every implementation
// (sqlite-store.test.ts, postgres-store.test.ts). `open` gives a fresh, empty
// directory; `openTwin` a second store on the same database (another replica).
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import {
  listPageSize,
  type StoredTeam,
  StoreError,
  type TeamStore,
} from "../../src/store/team-store.ts";

export type StoreFactory = {
  open(): Promise<{ store: TeamStore; openTwin(): Promise<TeamStore> }>;
};

async function collect(teams: AsyncIterable<StoredTeam>): Promise<StoredTeam[]> {
  const all: StoredTeam[] = [];
  for await (const team of teams) all.push(team);
  return all;
}

function storeError(kind: StoreError["kind"], currentVersion?: number) {
  return (error: unknown) => {
    assert.ok(error instanceof StoreError, `expected StoreError ${kind}, got ${String(error)}`);
    assert.equal(error.kind, kind);
    if (currentVersion !== undefined) assert.equal(error.currentVersion, currentVersion);
    return true;
  };
}

const cities = (count: number) =>
  Array.from({ length: count }, (_, i) => ({
    city: `City ${String(i).padStart(5, "0")}`,
    nickname: `Team ${i}`,
  }));

export function describeTeamStore(name: string, factory: StoreFactory): void {
  describe(`TeamStore conformance: ${name}`, () => {
    const opened: TeamStore[] = [];
    const fresh = async () => {
      const { store, openTwin } = await factory.open();
      opened.push(store);
      const twin = async () => {
        const other = await openTwin();
        opened.push(other);
        return other;
      };
      return { store, twin };
    };
    after(async () => {
      await Promise.all(opened.map((store) => store.close()));
    });

    it("finds a team whatever the case and surrounding spaces, and composed or not", async () => {
      const { store } = await fresh();
      await store.put({ city: "Chicago", nickname: "Jackals" });
      await store.put({ city: "Montr\u00e9al", nickname: "Voyageurs" });
      for (const asked of ["Chicago", " chicago ", "CHICAGO\t"]) {
        assert.deepEqual(await store.get(asked), {
          city: "Chicago",
          nickname: "Jackals",
          version: 1,
        });
      }
      assert.equal((await store.get("montre\u0301al"))?.nickname, "Voyageurs");
      assert.equal(await store.get("Miami"), undefined);
    });

    it("lists by prefix in city order, with a limit, across pages", async () => {
      const { store } = await fresh();
      const many = cities(listPageSize * 2 + 34);
      await store.importBatch([...many].reverse());
      await store.importBatch([
        { city: "San Diego", nickname: "Surfers" },
        { city: "seattle", nickname: "Sea Lions" },
        { city: "Salt Lake", nickname: "Rams" },
      ]);
      const sCities = (await collect(store.list(" S ", 0))).map((team) => team.city);
      assert.deepEqual(sCities, ["Salt Lake", "San Diego", "seattle"]);
      assert.deepEqual(
        (await collect(store.list("sa", 1))).map((team) => team.city),
        ["Salt Lake"],
      );
      const all = await collect(store.list("city", 0));
      assert.deepEqual(
        all.map((team) => team.city),
        many.map((team) => team.city),
      );
      assert.equal((await collect(store.list("", listPageSize + 1))).length, listPageSize + 1);
      assert.equal((await collect(store.list("", 0))).length, many.length + 3);
      assert.deepEqual(await collect(store.list("x", 0)), []);
    });

    it("reads a listing page by page, each after the previous page's key", async () => {
      const { store } = await fresh();
      const five = cities(5);
      await store.importBatch([...five].reverse());
      await store.put({ city: "Chicago", nickname: "Jackals" });
      const names = (page: { teams: StoredTeam[] }) => page.teams.map((team) => team.city);
      const first = await store.listPage(" CITY", undefined, 2);
      assert.deepEqual(names(first), ["City 00000", "City 00001"]);
      const second = await store.listPage("city", first.after, 2);
      assert.deepEqual(names(second), ["City 00002", "City 00003"]);
      const last = await store.listPage("city", second.after, 2);
      assert.deepEqual(last, { teams: [{ ...five[4], version: 1 }], after: undefined });
      // A full page names its last key even when nothing follows; the next page is empty.
      const all = await store.listPage("city", undefined, 5);
      assert.equal(all.teams.length, 5);
      assert.deepEqual(await store.listPage("city", all.after, 5), { teams: [], after: undefined });
    });

    it("creates, updates, leaves unchanged and deletes, each with its own version", async () => {
      const { store } = await fresh();
      assert.deepEqual(await store.put({ city: "Chicago", nickname: "Jackals" }), {
        team: { city: "Chicago", nickname: "Jackals", version: 1 },
        outcome: "created",
      });
      // Another spelling of the same city changes the nickname, not the canonical city.
      assert.deepEqual(await store.put({ city: "chicago", nickname: "Bears" }), {
        team: { city: "Chicago", nickname: "Bears", version: 2 },
        outcome: "updated",
      });
      assert.deepEqual(await store.put({ city: "CHICAGO", nickname: "Bears" }), {
        team: { city: "Chicago", nickname: "Bears", version: 2 },
        outcome: "unchanged",
      });
      assert.equal(await store.currentVersion(), 2);
      assert.deepEqual(await store.delete(" chicago"), { city: "Chicago", version: 3 });
      assert.equal(await store.get("Chicago"), undefined);
      await assert.rejects(store.delete("Chicago"), storeError("not-found"));
      assert.equal(await store.currentVersion(), 3);
    });

    it("honours ifVersion: unset writes, 0 only creates, N only if still at N", async () => {
      const { store } = await fresh();
      await store.put({ city: "Boston", nickname: "Owls", ifVersion: 0 });
      await assert.rejects(
        store.put({ city: "boston", nickname: "Hawks", ifVersion: 0 }),
        storeError("already-exists", 1),
      );
      await store.put({ city: "Boston", nickname: "Hawks", ifVersion: 1 });
      await assert.rejects(
        store.put({ city: "Boston", nickname: "Crows", ifVersion: 1 }),
        storeError("version-mismatch", 2),
      );
      await assert.rejects(
        store.put({ city: "Denver", nickname: "Elks", ifVersion: 7 }),
        storeError("version-mismatch", 0),
      );
      await assert.rejects(store.delete("Boston", 1), storeError("version-mismatch", 2));
      await assert.rejects(store.delete("Boston", 0), storeError("already-exists", 2));
      assert.equal((await store.get("Boston"))?.nickname, "Hawks");
      assert.deepEqual(await store.delete("Boston", 2), { city: "Boston", version: 3 });
      assert.equal((await store.put({ city: "Boston", nickname: "Owls" })).team.version, 4);
    });

    it("loses no update under concurrent writers on two connections", async () => {
      const { store, twin } = await fresh();
      const other = await twin();
      await store.put({ city: "Counter", nickname: "0" });
      // Compare-and-set increments from both stores at once: each retries on a mismatch.
      const increment = async (on: TeamStore) => {
        for (;;) {
          const team = (await on.get("Counter")) as StoredTeam;
          try {
            const next = String(Number(team.nickname) + 1);
            return (await on.put({ city: "Counter", nickname: next, ifVersion: team.version })).team
              .version;
          } catch (error) {
            if (!(error instanceof StoreError && error.kind === "version-mismatch")) throw error;
          }
        }
      };
      const versions = await Promise.all(
        Array.from({ length: 30 }, (_, i) => increment(i % 2 ? store : other)),
      );
      const unconditional = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          (i % 2 ? store : other).put({ city: `Free ${i}`, nickname: "x" }),
        ),
      );
      assert.equal((await store.get("Counter"))?.nickname, "30");
      const all = [...versions, ...unconditional.map((result) => result.team.version)];
      assert.equal(new Set(all).size, all.length, "every write has its own version");
      const log = (await store.changesSince(0, 0)).map((change) => change.version);
      assert.deepEqual(
        log,
        Array.from({ length: 51 }, (_, i) => i + 1),
      );
    });

    it("imports a large batch in one transaction: counts, conflicts, all or nothing", async () => {
      const { store } = await fresh();
      const rows = cities(5000);
      const first = await store.importBatch(rows);
      assert.deepEqual(first, {
        created: 5000,
        updated: 0,
        unchanged: 0,
        conflicts: [],
        version: 5000,
      });
      const second = await store.importBatch([
        { city: "City 00000", nickname: "Team 0" },
        { city: "City 00001", nickname: "Renamed" },
        { city: "City 00002", nickname: "Refused", ifVersion: 0 },
        { city: "New Town", nickname: "Fresh" },
      ]);
      assert.deepEqual(second, {
        created: 1,
        updated: 1,
        unchanged: 1,
        conflicts: [{ index: 2, currentVersion: 3 }],
        version: 5002,
      });
      // A row the database refuses late in the batch takes the whole batch back.
      const broken = [...cities(3000).map((row) => ({ ...row, nickname: "Changed" }))];
      broken.push({ city: "Broken", nickname: null as unknown as string });
      await assert.rejects(store.importBatch(broken));
      assert.equal((await store.get("City 00000"))?.nickname, "Team 0");
      assert.equal(await store.currentVersion(), 5002);
      assert.equal((await store.changesSince(5000, 0)).length, 2);
    });

    it("gives the changes after a version, in order, and refuses trimmed history", async () => {
      const { store } = await fresh();
      await store.put({ city: "Austin", nickname: "Bats" });
      await store.put({ city: "Austin", nickname: "Owls" });
      await store.delete("austin");
      await store.put({ city: "Tulsa", nickname: "Oilers" });
      assert.deepEqual(await store.changesSince(1, 2), [
        { version: 2, kind: "put", team: { city: "Austin", nickname: "Owls", version: 2 } },
        { version: 3, kind: "delete", city: "Austin" },
      ]);
      assert.deepEqual(await store.changesSince(4, 10), []);
      assert.ok(store.trimHistory, "the SQL stores trim their history");
      assert.equal(await store.trimHistory(2), 2);
      await assert.rejects(store.changesSince(1, 10), storeError("history-trimmed"));
      assert.deepEqual(
        (await store.changesSince(2, 10)).map((change) => change.version),
        [3, 4],
      );
      await store.ping();
    });
  });
}
