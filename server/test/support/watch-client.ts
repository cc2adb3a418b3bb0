import type { ServiceError } from "@grpc/grpc-js";
import { type TeamEvent, type TeamsClient, WatchTeamsRequest } from "../../src/gen/teams.ts";

/** One event as a line: `put Chicago=Jackals @3`, `deleted Miami @12`, `snapshot_complete @10`, `heartbeat @10`. */
export function describeEvent(event: TeamEvent): string {
  if (event.has_put) return `put ${event.put.city}=${event.put.nickname} @${event.version}`;
  if (event.has_deleted) return `deleted ${event.deleted.city} @${event.version}`;
  if (event.has_snapshot_complete) return `snapshot_complete @${event.version}`;
  return `heartbeat @${event.version}`;
}

export type Watch = {
  /** Every event so far, described. */
  events: string[];
  /** Resolves once `match(events)` holds (checked on every event). */
  until(match: (events: string[]) => boolean): Promise<string[]>;
  /** Resolves with the status the stream ended with (null for OK). */
  ended: Promise<ServiceError | null>;
  call: ReturnType<TeamsClient["WatchTeams"]>;
};

/** Starts WatchTeams and records what it streams. */
export function watchTeams(
  client: TeamsClient,
  request: { prefix?: string; since_version?: number } = {},
): Watch {
  const call = client.WatchTeams(new WatchTeamsRequest(request));
  const events: string[] = [];
  const checks = new Set<() => void>();
  call.on("data", (event: TeamEvent) => {
    events.push(describeEvent(event));
    for (const check of [...checks]) check();
  });
  const ended = new Promise<ServiceError | null>((resolve) => {
    call.on("error", (error: ServiceError) => resolve(error));
    call.on("end", () => resolve(null));
  });
  return {
    events,
    call,
    ended,
    until(match) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!match(events)) return;
          checks.delete(check);
          resolve(events);
        };
        checks.add(check);
        ended.then((status) => {
          if (checks.delete(check))
            reject(new Error(`watch ended (${status?.details}) after ${events.join(", ")}`));
        });
        check();
      });
    },
  };
}

/** The events after the snapshot_complete marker, heartbeats left out. */
export function changesAfterSnapshot(events: readonly string[]): string[] {
  const start = events.findIndex((event) => event.startsWith("snapshot_complete"));
  return events.slice(start + 1).filter((event) => !event.startsWith("heartbeat"));
}
