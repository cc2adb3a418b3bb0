// What `npm run test:compose` checks on the scaled stack, through Envoy's native gRPC port
// (which balances each call over the replicas): a team written by one call is read back by the
// calls after it, whichever replica answers them, and a WatchTeams stream opened before the
// write sees it once.
import { type TeamEvent, type TeamsClient, teamsClient, unary } from "./teams-grpc-client.ts";

export interface ReplicaCheck {
  name: string;
  ok: boolean;
  detail: string;
}

export interface ReplicaCheckOptions {
  target: string;
  token: string;
  city: string;
  nickname?: string;
  /** GetTeam calls after the write: with round robin over 3 replicas, 6 reach every one. */
  reads?: number;
  timeoutMs?: number;
}

/** Events of a WatchTeams stream, and a way to wait for one. */
function watch(client: TeamsClient, prefix: string) {
  const events: TeamEvent[] = [];
  const waiters = new Set<() => void>();
  let failure: Error | undefined;
  const stream = client.WatchTeams({ prefix });
  const wake = () => {
    for (const waiter of waiters) waiter();
  };
  stream.on("data", (event) => {
    events.push(event);
    wake();
  });
  stream.on("error", (error) => {
    failure = error;
    wake();
  });
  const until = (what: string, test: () => boolean, timeoutMs: number) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (test()) resolve();
        else if (failure) reject(new Error(`WatchTeams ended before ${what}: ${failure.message}`));
        else return;
        waiters.delete(check);
        clearTimeout(timer);
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`WatchTeams: no ${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      waiters.add(check);
      check();
    });
  return { events, until, cancel: () => stream.cancel() };
}

export async function checkWriteReadWatch(options: ReplicaCheckOptions): Promise<ReplicaCheck[]> {
  const { target, token, city, reads = 6, timeoutMs = 10_000 } = options;
  const nickname = options.nickname ?? `Replicas ${Date.now()}`;
  const client = teamsClient(target);
  const watcher = watch(client, city);
  const checks: ReplicaCheck[] = [];
  const record = async (name: string, step: () => Promise<string>) => {
    try {
      checks.push({ name, ok: true, detail: await step() });
    } catch (error) {
      checks.push({ name, ok: false, detail: (error as Error).message });
    }
  };
  try {
    await record("WatchTeams snapshot", async () => {
      await watcher.until(
        "snapshot_complete",
        () => watcher.events.some((e) => e.event === "snapshot_complete"),
        timeoutMs,
      );
      return `open on prefix "${city}"`;
    });
    let version = "";
    await record(`PutTeam ${city}`, async () => {
      ({ version } = await unary(client, "PutTeam", { city, nickname }, token));
      return `version ${version}`;
    });
    await record(`GetTeam ${city} x${reads}`, async () => {
      for (let call = 1; call <= reads; call++) {
        const team = await unary(client, "GetTeam", { city });
        if (!team.found || team.nickname !== nickname)
          throw new Error(`call ${call} answered ${team.found ? team.nickname : "not found"}`);
      }
      return `every call answered ${nickname}`;
    });
    await record("WatchTeams sees the write once", async () => {
      const seen = () =>
        watcher.events.filter((e) => e.put?.city === city && e.version === version);
      await watcher.until(
        `put of ${city} at version ${version}`,
        () => seen().length > 0,
        timeoutMs,
      );
      if (seen().length !== 1) throw new Error(`seen ${seen().length} times`);
      return `put at version ${version}`;
    });
  } finally {
    watcher.cancel();
    client.close();
  }
  return checks;
}
