import { waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import type { Team, TeamEvent } from "../teams-api/teams-api.ts";
import { StatusCode, TeamsError } from "../teams-api/teams-error.ts";
import { FakeTeamsApi, sampleTeams } from "../test/fake-teams-api.ts";
import { type Connection, startLiveTeams, type TeamChange } from "./live-teams.ts";

const [charlotte, chicago] = sampleTeams as [Team, Team];
const put = (team: Team): TeamEvent => ({ type: "put", version: team.version, team });

function watching() {
  const fake = new FakeTeamsApi();
  fake.manualWatches = true;
  const network = new EventTarget();
  const seen = {
    cities: [] as string[],
    changes: [] as TeamChange[],
    connection: [] as Connection[],
    delays: [] as number[],
  };
  const stop = startLiveTeams(
    fake,
    "",
    {
      teams(teams, changes) {
        seen.cities = teams.map((t) => `${t.city} ${t.nickname}`);
        seen.changes.push(...changes);
      },
      connection: (state) => seen.connection.push(state),
    },
    {
      network,
      delayMs: (attempt) => 100 * (attempt + 1),
      settleMs: 0,
      // Waits until the page comes online again or the watcher stops: no timers in tests.
      wait: (ms, wake) => {
        seen.delays.push(ms);
        return new Promise((resolve) => wake.addEventListener("abort", () => resolve()));
      },
    },
  );
  stops.push(stop);
  const watch = (n: number) =>
    waitFor(() => fake.watches[n] ?? Promise.reject(new Error(`no watch ${n}`)));
  return { fake, network, seen, watch };
}

const stops: Array<() => void> = [];
afterEach(() => {
  for (const stop of stops.splice(0)) stop();
});

describe("startLiveTeams", () => {
  it("shows the snapshot once complete, then applies each change in order", async () => {
    const { seen, watch } = watching();
    const first = await watch(0);
    expect(first.query).toEqual({ prefix: "", sinceVersion: 0 });
    first.push(put(charlotte));
    first.push(put(chicago));
    first.push({ type: "snapshotComplete", version: 2 });
    await waitFor(() => expect(seen.cities).toEqual(["Charlotte Hornets", "Chicago Jackals"]));
    expect(seen.connection.at(-1)).toBe("live");
    expect(seen.changes).toEqual([]); // a first snapshot is not news

    const renamed = { ...chicago, nickname: "Bears", version: 3 };
    first.push(put(renamed));
    first.push({ type: "deleted", version: 4, city: "Charlotte" });
    await waitFor(() => expect(seen.cities).toEqual(["Chicago Bears"]));
    expect(seen.changes).toEqual([
      { kind: "changed", team: renamed },
      { kind: "removed", city: "Charlotte" },
    ]);
  });

  it("reconnects after a failure from the last version applied, applying nothing twice", async () => {
    const { seen, watch, network } = watching();
    const first = await watch(0);
    first.push(put(charlotte));
    first.push({ type: "snapshotComplete", version: 5 });
    const miami = { city: "Miami", nickname: "Heat", found: true, version: 6 };
    first.push(put(miami));
    await waitFor(() => expect(seen.cities).toHaveLength(2));
    first.fail(new TeamsError(StatusCode.UNAVAILABLE, "server restarting"));
    await waitFor(() => expect(seen.connection.at(-1)).toBe("reconnecting"));
    expect(seen.delays).toEqual([100]);

    network.dispatchEvent(new Event("online")); // the wait ends
    const second = await watch(1);
    expect(second.query).toEqual({ prefix: "", sinceVersion: 6 });
    second.push(put(miami)); // a replay of version 6: already shown
    second.push(put({ ...miami, nickname: "Dolphins", version: 7 }));
    await waitFor(() => expect(seen.cities).toContain("Miami Dolphins"));
    expect(seen.changes.map((c) => c.kind)).toEqual(["added", "changed"]);
    expect(seen.connection.at(-1)).toBe("live");
  });

  it("backs off longer after each failure in a row", async () => {
    const { seen, watch, network } = watching();
    for (const n of [0, 1, 2]) {
      (await watch(n)).fail(new TeamsError(StatusCode.UNAVAILABLE, "down"));
      await waitFor(() => expect(seen.delays).toHaveLength(n + 1));
      network.dispatchEvent(new Event("online"));
    }
    expect(seen.delays).toEqual([100, 200, 300]);
  });

  it("lists again from 0 when the history it needs is trimmed, and reports the difference", async () => {
    const { seen, watch, network } = watching();
    const first = await watch(0);
    first.push(put(charlotte));
    first.push({ type: "snapshotComplete", version: 1 });
    await waitFor(() => expect(seen.cities).toHaveLength(1));
    first.fail(new TeamsError(StatusCode.UNAVAILABLE, "cut"));
    await waitFor(() => expect(seen.delays).toHaveLength(1));
    network.dispatchEvent(new Event("online"));

    const trimmed = new TeamsError(StatusCode.FAILED_PRECONDITION, "trimmed", [], {
      reason: "WATCH_HISTORY_TRIMMED",
      metadata: {},
    });
    (await watch(1)).fail(trimmed);
    const third = await watch(2); // at once: no backoff for a trim
    expect(third.query.sinceVersion).toBe(0);
    third.push(put({ ...chicago, version: 40 }));
    third.push({ type: "snapshotComplete", version: 40 });
    await waitFor(() => expect(seen.cities).toEqual(["Chicago Jackals"]));
    expect(seen.changes).toEqual([
      { kind: "added", team: { ...chicago, version: 40 } },
      { kind: "removed", city: "Charlotte" },
    ]);
    expect(seen.delays).toHaveLength(1);
  });

  it("resumes at once, without showing 'reconnecting', when the server asks to (WATCH_RESUME)", async () => {
    const { seen, watch } = watching();
    const first = await watch(0);
    first.push({ type: "snapshotComplete", version: 9 });
    await waitFor(() => expect(seen.connection).toEqual(["live"]));
    first.fail(
      new TeamsError(StatusCode.UNAVAILABLE, "maximum age", [], {
        reason: "WATCH_RESUME",
        metadata: {},
      }),
    );
    expect((await watch(1)).query.sinceVersion).toBe(9);
    expect(seen.connection).not.toContain("reconnecting");
  });

  it("drops the stream when the browser goes offline and reconnects as soon as it is online", async () => {
    const { seen, watch, network } = watching();
    const first = await watch(0);
    first.push({ type: "snapshotComplete", version: 3 });
    await waitFor(() => expect(seen.connection.at(-1)).toBe("live"));
    network.dispatchEvent(new Event("offline"));
    await waitFor(() => expect(seen.connection.at(-1)).toBe("reconnecting"));
    expect(first.signal?.aborted).toBe(true);
    network.dispatchEvent(new Event("online"));
    expect((await watch(1)).query.sinceVersion).toBe(3);
  });
});
