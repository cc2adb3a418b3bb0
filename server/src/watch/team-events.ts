import { Heartbeat, SnapshotComplete, TeamDeleted, TeamEvent } from "../gen/teams.ts";
import { teamResponse } from "../rpc/team-messages.ts";
import type { StoredTeam, TeamChange } from "../store/team-store.ts";
import { cityKey } from "../team-record.ts";

/** A team as it is (snapshot) or as a write left it (change). */
export function putEvent(team: StoredTeam): TeamEvent {
  return new TeamEvent({ version: team.version, put: teamResponse(team) });
}

/**
 * The event of a change the feed offers every watch of this replica: made once, however
 * many watches send it (the same TeamChange object reaches them all).
 */
const liveEvents = new WeakMap<TeamChange, TeamEvent>();
export function liveChangeEvent(change: TeamChange): TeamEvent {
  let event = liveEvents.get(change);
  if (!event) {
    event = changeEvent(change);
    liveEvents.set(change, event);
  }
  return event;
}

/**
 * WatchTeams' response serializer: an event sent to many watches (liveChangeEvent) is
 * encoded once, not once per watch. grpc-js copies the bytes into each frame it writes.
 */
const encodedEvents = new WeakMap<TeamEvent, Buffer<ArrayBuffer>>();
export function serializeTeamEvent(event: TeamEvent): Buffer<ArrayBuffer> {
  let bytes = encodedEvents.get(event);
  if (!bytes) {
    bytes = Buffer.from(event.serialize());
    encodedEvents.set(event, bytes);
  }
  return bytes;
}

/** One change of the log as the contract streams it. */
export function changeEvent(change: TeamChange): TeamEvent {
  if (change.kind === "put") return putEvent(change.team);
  return new TeamEvent({
    version: change.version,
    deleted: new TeamDeleted({ city: change.city }),
  });
}

export function snapshotCompleteEvent(version: number): TeamEvent {
  return new TeamEvent({ version, snapshot_complete: new SnapshotComplete() });
}

export function heartbeatEvent(version: number): TeamEvent {
  return new TeamEvent({ version, heartbeat: new Heartbeat() });
}

/**
 * The lookup key of the city a change is about: computed once per change, however many
 * watches of the replica match it against their prefix.
 */
const changeKeys = new WeakMap<TeamChange, string>();
export function changeKey(change: TeamChange): string {
  let key = changeKeys.get(change);
  if (key === undefined) {
    key = cityKey(change.kind === "put" ? change.team.city : change.city);
    changeKeys.set(change, key);
  }
  return key;
}
