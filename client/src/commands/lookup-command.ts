// LookupTeams, bidirectional streaming: each stdin line is sent as a city as soon as
// it is read, and each answer printed as soon as it arrives, while input goes on.
import { once } from "node:events";
import { createInterface } from "node:readline";
import { TeamRequest } from "@teams/server/gen/teams";
import type { Connection } from "../teams-connection.ts";
import { type Terminal, teamLine, writeLine } from "../terminal.ts";

export async function lookupTeams(connection: Connection, io: Terminal): Promise<number> {
  const call = connection.client.LookupTeams(connection.metadata());
  const printed = (async () => {
    for await (const team of call) await writeLine(io.stdout, teamLine(team));
  })();
  void (async () => {
    for await (const line of createInterface({ input: io.stdin, crlfDelay: Infinity })) {
      // Blank lines are skipped: the server ends the stream on a blank city.
      if (line.trim() === "") continue;
      if (!call.write(new TeamRequest({ city: line }))) await once(call, "drain");
    }
    call.end();
  })().catch(() => call.cancel());
  // The answers decide: the stream ends when the server has answered every city,
  // or at its first error; stdin is not read after that.
  try {
    await printed;
  } finally {
    io.stdin.destroy();
  }
  return 0;
}
