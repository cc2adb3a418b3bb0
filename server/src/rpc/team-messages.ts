import { TeamResponse } from "../gen/teams.ts";
import type { StoredTeam } from "../store/team-store.ts";

/** The nickname an unknown city answers with, as the tutorial prints it ("Miami not a member"). */
export const notAMember = "not a member";

/** A stored team as the contract sends it: found, with its version. */
export function teamResponse(team: StoredTeam): TeamResponse {
  return new TeamResponse({
    city: team.city,
    nickname: team.nickname,
    found: true,
    version: team.version,
  });
}

/** The tutorial's answer for a city with no team: OK, "not a member", the city as asked (trimmed). */
export function notFoundResponse(city: string): TeamResponse {
  return new TeamResponse({ city: city.trim(), nickname: notAMember, found: false, version: 0 });
}
