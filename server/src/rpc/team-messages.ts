import { TeamResponse } from "../gen/teams";
import type { StoredTeam } from "../store/team-store";

/** The nickname an unknown city answers with, as the tutorial prints it ("Miami not a member"). */
export const NOT_A_MEMBER = "not a member";

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
export function notAMember(city: string): TeamResponse {
  return new TeamResponse({ city: city.trim(), nickname: NOT_A_MEMBER, found: false, version: 0 });
}
