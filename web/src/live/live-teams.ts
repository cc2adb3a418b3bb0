import type { Team, TeamEvent, TeamsApi } from "../teams-api/teams-api.ts";
import { StatusCode, TeamsError } from "../teams-api/teams-error.ts";
import { reconnectDelayMs } from "./backoff.ts";

/** "connecting" until the first snapshot, then "live", or "reconnecting" after a failure. */
export type Connection = "connecting" | "live" | "reconnecting";

/** One change a person should notice (highlighted, announced). */
export type TeamChange =
  | { kind: "added" | "changed"; team: Team }
  | { kind: "removed"; city: string };

export interface LiveTeamsListener {
  /** Every team in city order, after each change applied; `changes` is empty for a snapshot. */
  teams(teams: readonly Team[], changes: readonly TeamChange[]): void;
  connection(state: Connection): void;
}

export interface LiveTeamsOptions {
  /** Waits before a reconnect; resolves early when `wake` fires (the browser came online). */
  wait?: (ms: number, wake: AbortSignal) => Promise<void>;
  /** The browser's online/offline events (window), if any. */
  network?: EventTarget;
  delayMs?: (attempt: number) => number;
  /**
   * A resumed watch sends nothing until the next change or heartbeat (up to 30 s), and
   * grpc-web reports response headers only at the end: a resumed stream that has not failed
   * after this long is shown as live.
   */
  settleMs?: number;
}

/**
 * Keeps `prefix`'s teams live from WatchTeams ("list then watch"): a snapshot first, then each
 * change. When the stream fails or ends it reconnects with jittered backoff and resumes from
 * the last version applied, so nothing is missed; changes at or below that version are
 * ignored, so nothing is applied twice. FAILED_PRECONDITION (the history is trimmed, or the
 * directory was replaced) starts again from a fresh snapshot. Going offline drops the stream;
 * coming online reconnects at once. Returns `stop`.
 */
export function startLiveTeams(
  api: TeamsApi,
  prefix: string,
  listener: LiveTeamsListener,
  { wait = sleep, network, delayMs = reconnectDelayMs, settleMs = 1_000 }: LiveTeamsOptions = {},
): () => void {
  const stopped = new AbortController();
  let stream = new AbortController();
  let wake = new AbortController();
  let teams = new Map<string, Team>();
  /** The version everything shown is at; 0 until a snapshot completed. */
  let version = 0;
  /** Whether `version` can be resumed from (a snapshot completed, and no trim since). */
  let synced = false;
  let everSynced = false;

  const sorted = (): Team[] => [...teams.values()].sort((a, b) => a.city.localeCompare(b.city));
  const onOffline = (): void => stream.abort("offline");
  const onOnline = (): void => wake.abort();
  network?.addEventListener("offline", onOffline);
  network?.addEventListener("online", onOnline);

  const apply = (event: TeamEvent): TeamChange | null => {
    if (event.type === "heartbeat" || event.type === "snapshotComplete") return null;
    if (event.version <= version) return null; // already applied before a reconnect
    version = event.version;
    const key = cityKey(event.type === "put" ? event.team.city : event.city);
    const before = teams.get(key);
    if (event.type === "deleted") {
      teams.delete(key);
      return before ? { kind: "removed", city: before.city } : null;
    }
    teams.set(key, event.team);
    return { kind: before ? "changed" : "added", team: event.team };
  };

  /** Events the current stream delivered: a stream that delivered any resets the backoff. */
  let received = 0;

  /** One WatchTeams stream, until it fails or ends. */
  const follow = async (signal: AbortSignal): Promise<void> => {
    let snapshot: Map<string, Team> | null = synced ? null : new Map();
    const query = { prefix, sinceVersion: synced ? version : 0 };
    const settled = synced ? setTimeout(() => listener.connection("live"), settleMs) : undefined;
    signal.addEventListener("abort", () => clearTimeout(settled), { once: true });
    for await (const event of api.watchTeams(query, { signal })) {
      if (signal.aborted) break;
      received += 1;
      if (snapshot) {
        if (event.type === "put") snapshot.set(cityKey(event.team.city), event.team);
        if (event.type !== "snapshotComplete") continue;
        const changes = everSynced ? diff(teams, snapshot) : [];
        teams = snapshot;
        snapshot = null;
        version = event.version;
        synced = everSynced = true;
        listener.teams(sorted(), changes);
      } else {
        const change = apply(event);
        if (event.type === "heartbeat") version = Math.max(version, event.version);
        if (change) listener.teams(sorted(), [change]);
      }
      listener.connection("live");
    }
    clearTimeout(settled);
  };

  void (async () => {
    /** Failed attempts in a row: the backoff grows with them. */
    let failures = 0;
    stopped.signal.addEventListener("abort", () => stream.abort(), { once: true });
    while (!stopped.signal.aborted) {
      stream = new AbortController();
      const { signal } = stream;
      received = 0;
      let backOff: boolean;
      try {
        await follow(signal);
        backOff = received === 0; // ended cleanly: resume at once, unless it sent nothing
      } catch (error) {
        if (stopped.signal.aborted) return;
        const { code, errorInfo } = TeamsError.from(error);
        const trimmed = code === StatusCode.FAILED_PRECONDITION && synced;
        if (trimmed) synced = false; // list again from 0, at once
        // The server asked to resume (maximum age, shutdown, slow reader) a stream that
        // worked: at once, quietly. Anything else: back off.
        backOff = !trimmed && !(errorInfo?.reason === "WATCH_RESUME" && received > 0);
      }
      if (received > 0) failures = 0;
      if (stopped.signal.aborted) return;
      if (!backOff) continue;
      failures += 1;
      listener.connection("reconnecting");
      wake = new AbortController();
      await wait(delayMs(failures - 1), AbortSignal.any([wake.signal, stopped.signal]));
    }
  })();

  return () => {
    network?.removeEventListener("offline", onOffline);
    network?.removeEventListener("online", onOnline);
    stopped.abort();
  };
}

/** What a fresh snapshot changed compared with the teams shown (a re-list after a trim). */
function diff(before: Map<string, Team>, after: Map<string, Team>): TeamChange[] {
  if (before.size === 0) return [];
  const changes: TeamChange[] = [];
  for (const [key, team] of after) {
    const old = before.get(key);
    if (!old) changes.push({ kind: "added", team });
    else if (old.nickname !== team.nickname) changes.push({ kind: "changed", team });
  }
  for (const [key, team] of before) {
    if (!after.has(key)) changes.push({ kind: "removed", city: team.city });
  }
  return changes;
}

function cityKey(city: string): string {
  return city.trim().toLowerCase();
}

function sleep(ms: number, wake: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    wake.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}
