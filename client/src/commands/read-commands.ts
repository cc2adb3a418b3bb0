// The anonymous reads: GetTeam for each city (the tutorial's client) and ListTeams.
import { ListTeamsRequest, TeamRequest, type TeamResponse } from "@teams/server/gen/teams";
import { type Connection, unary } from "../teams-connection.ts";
import { type Terminal, teamLine, writeLine } from "../terminal.ts";

/** One GetTeam per city, in order, each printed as `City Nickname` (`Miami not a member`). */
export async function getTeams(
  connection: Connection,
  cities: string[],
  io: Terminal,
): Promise<number> {
  for (const city of cities) {
    const team = await unary<TeamRequest, TeamResponse>(
      connection,
      connection.client.GetTeam,
      new TeamRequest({ city }),
    );
    await writeLine(io.stdout, teamLine(team));
  }
  return 0;
}

/** ListTeams: every team under the prefix, in city order, printed as it streams in. */
export async function listTeams(
  connection: Connection,
  request: { prefix: string; limit: number },
  io: Terminal,
): Promise<number> {
  const stream = connection.client.ListTeams(new ListTeamsRequest(request), connection.metadata());
  for await (const team of stream) await writeLine(io.stdout, teamLine(team));
  return 0;
}
