// ImportTeams, client streaming: sends the file's rows with backpressure, shows a
// progress bar on a terminal, then prints the counts and the rejected rows.
import { once } from "node:events";
import { type ImportTeamsResponse, PutTeamRequest } from "@teams/server/gen/teams";
import { exitRowsRejected } from "../failure-report.ts";
import { type ImportRow, openImportRows } from "../import-rows.ts";
import { ProgressBar } from "../progress-bar.ts";
import type { Connection } from "../teams-connection.ts";
import { type Terminal, writeLine } from "../terminal.ts";

export async function importTeams(
  connection: Connection,
  file: string,
  io: Terminal,
): Promise<number> {
  const rows = openImportRows(file);
  let finished = false;
  let call!: ReturnType<Connection["client"]["ImportTeams"]>;
  const answered = new Promise<ImportTeamsResponse>((resolve, reject) => {
    call = connection.client.ImportTeams(connection.metadata(), (error, response) => {
      finished = true;
      if (error) reject(error);
      else resolve(response as ImportTeamsResponse);
    });
  });
  // The server may answer early (a refused token): stop sending, report its answer.
  const settled = answered.then(
    () => undefined,
    () => undefined,
  );
  const progress = new ProgressBar(io.stderr);
  let sent = 0;
  try {
    for await (const { row, progress: fraction } of rows) {
      if (finished) break;
      if (!call.write(messageOf(row))) await Promise.race([once(call, "drain"), settled]);
      sent += 1;
      progress.update(fraction, sent);
    }
  } catch (error) {
    // A file that stops making sense mid-way: cancel, so the server keeps no partial batch.
    progress.finish();
    call.cancel();
    await settled;
    throw error;
  }
  call.end();
  progress.finish();
  const result = await answered;
  await printSummary(result, io);
  return Number(result.rejected_count) > 0 ? exitRowsRejected : 0;
}

function messageOf(row: ImportRow): PutTeamRequest {
  const message = new PutTeamRequest({ city: row.city, nickname: row.nickname });
  if (row.ifVersion !== undefined) message.if_version = row.ifVersion;
  return message;
}

async function printSummary(result: ImportTeamsResponse, io: Terminal): Promise<void> {
  const counts = `created ${result.created}, updated ${result.updated}, unchanged ${result.unchanged}, rejected ${result.rejected_count}`;
  await writeLine(io.stdout, `${counts} (version ${result.version})`);
  for (const row of result.rejected) {
    await writeLine(io.stdout, `rejected row ${row.index}: ${row.description}`);
  }
  const unlisted = Number(result.rejected_count) - result.rejected.length;
  if (unlisted > 0) await writeLine(io.stdout, `... and ${unlisted} more rejected rows`);
}
