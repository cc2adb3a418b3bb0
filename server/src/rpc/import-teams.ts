import type { ServerReadableStream, ServiceError, sendUnaryData } from "@grpc/grpc-js";
import type { ImportTeamsResponse, PutTeamRequest } from "../gen/teams.ts";
import type { TeamWrite } from "../store/team-store.ts";
import { checkPut } from "../validation.ts";
import { authorizeWrite, type HandlerContext, logWrite } from "./handler-context.ts";
import { ImportTally } from "./import-tally.ts";
import { teamWrite } from "./put-team.ts";
import { storeFailure } from "./store-status.ts";
import { isGone, messagesOf } from "./stream-flow.ts";

/** Rows per transaction of an import. */
export const importBatchRows = 1000;

type ImportCall = ServerReadableStream<PutTeamRequest, ImportTeamsResponse>;

/**
 * ImportTeams: authorize, then read the client stream with backpressure (the
 * loop does not read while a batch is being written, so grpc-js stops asking
 * for messages and HTTP/2 flow control holds the client), write every
 * `batchRows` valid rows in one transaction, skip bad rows.
 */
export function importTeams(context: HandlerContext, batchRows = importBatchRows) {
  return (call: ImportCall, callback: sendUnaryData<ImportTeamsResponse>): void => {
    runImport(context, call, batchRows).then(
      (response) => callback(null, response),
      (error: Partial<ServiceError>) => callback(error as ServiceError),
    );
  };
}

async function runImport(
  context: HandlerContext,
  call: ImportCall,
  batchRows: number,
): Promise<ImportTeamsResponse> {
  const authorized = await authorizeWrite(context.authorizer, call.metadata);
  if ("error" in authorized) throw authorized.error;
  const tally = new ImportTally();
  let rows: TeamWrite[] = [];
  let indexes: number[] = [];
  let read = 0;
  const flush = async () => {
    if (rows.length === 0) return;
    tally.addBatch(await context.store.importBatch(rows), rows, indexes);
    context.feed.written();
    rows = [];
    indexes = [];
  };
  try {
    for await (const row of messagesOf<PutTeamRequest>(call)) {
      const index = read++;
      const violations = checkPut(row);
      if (violations.length > 0) {
        tally.rejectInvalid(index, violations);
        continue;
      }
      rows.push(teamWrite(row));
      indexes.push(index);
      if (rows.length >= batchRows) await flush();
    }
    // A cancelled call may end the loop quietly: never commit the rows of an unfinished batch.
    if (isGone(call)) throw new Error("import cancelled by the client");
    await flush();
    if (tally.version === 0) tally.version = await context.store.currentVersion();
    logWrite(context, call, "ImportTeams", authorized.caller, { rows: read, ...tally.summary() });
    return tally.response();
  } catch (error) {
    // The batches already committed stay: say so in the write log.
    const ended = isGone(call) ? "cancelled" : "failed";
    logWrite(context, call, "ImportTeams", authorized.caller, {
      rows: read,
      ended,
      ...tally.summary(),
    });
    throw storeFailure(error);
  }
}
