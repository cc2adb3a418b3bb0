import { Heartbeat, SnapshotComplete, TeamDeleted, TeamEvent } from "../gen/teams.ts";
import { teamResponse } from "../rpc/team-messages.ts";
import type { StoredTeam, TeamChange } from "../store/team-store.ts";
import { cityKey } from "../team-record.ts";

/** A team as it is (snapshot) or as a write left it (change). */
export function putEvent(team: StoredTeam): TeamEvent {
  return new TeamEvent({ version: team.version, put: teamResponse(team) });
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

/** The lookup key of the city a change is about. */
export function changeKey(change: TeamChange): string {
  return cityKey(change.kind === "put" ? change.team.city : change.city);
}
