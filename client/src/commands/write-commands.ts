// The unary writes: PutTeam and DeleteTeam, with the caller's token.
import {
  DeleteTeamRequest,
  type DeleteTeamResponse,
  PutTeamRequest,
  type TeamResponse,
} from "@teams/server/gen/teams";
import { type Connection, unary } from "../teams-connection.ts";
import { type Terminal, teamLine, writeLine } from "../terminal.ts";

type Conditional = { ifVersion?: number };

/** PutTeam: prints the team as stored, with its new version. */
export async function putTeam(
  connection: Connection,
  request: { city: string; nickname: string } & Conditional,
  io: Terminal,
): Promise<number> {
  const message = new PutTeamRequest({ city: request.city, nickname: request.nickname });
  if (request.ifVersion !== undefined) message.if_version = request.ifVersion;
  const team = await unary<PutTeamRequest, TeamResponse>(
    connection,
    connection.client.PutTeam,
    message,
  );
  await writeLine(io.stdout, `${teamLine(team)} (version ${team.version})`);
  return 0;
}

/** DeleteTeam: prints the city deleted and the delete's version. */
export async function deleteTeam(
  connection: Connection,
  request: { city: string } & Conditional,
  io: Terminal,
): Promise<number> {
  const message = new DeleteTeamRequest({ city: request.city });
  if (request.ifVersion !== undefined) message.if_version = request.ifVersion;
  const deleted = await unary<DeleteTeamRequest, DeleteTeamResponse>(
    connection,
    connection.client.DeleteTeam,
    message,
  );
  await writeLine(io.stdout, `deleted ${deleted.city} (version ${deleted.version})`);
  return 0;
}
