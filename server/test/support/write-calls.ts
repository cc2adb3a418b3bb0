import type { Metadata, ServiceError } from "@grpc/grpc-js";
import {
  DeleteTeamRequest,
  type DeleteTeamResponse,
  type ImportTeamsResponse,
  PutTeamRequest,
  type TeamResponse,
  type TeamsClient,
} from "../../src/gen/teams.ts";
import { writerMetadata } from "./stub-authorizer.ts";

type Put = { city: string; nickname: string; if_version?: number };

/** PutTeam with the accepted token (or `metadata`), as a promise of the plain answer. */
export function putTeam(
  client: TeamsClient,
  put: Put,
  metadata: Metadata = writerMetadata(),
): Promise<ReturnType<TeamResponse["toObject"]>> {
  return new Promise((resolve, reject) => {
    client.PutTeam(new PutTeamRequest(put), metadata, (error, response) => {
      if (error || !response) reject(error);
      else resolve(response.toObject());
    });
  });
}

/** DeleteTeam with the accepted token (or `metadata`). */
export function deleteTeam(
  client: TeamsClient,
  request: { city: string; if_version?: number },
  metadata: Metadata = writerMetadata(),
): Promise<ReturnType<DeleteTeamResponse["toObject"]>> {
  return new Promise((resolve, reject) => {
    client.DeleteTeam(new DeleteTeamRequest(request), metadata, (error, response) => {
      if (error || !response) reject(error);
      else resolve(response.toObject());
    });
  });
}

/** Awaits a call expected to fail; resolves with its error (code, details, trailers). */
export async function failureOf(call: Promise<unknown>): Promise<ServiceError> {
  try {
    await call;
  } catch (error) {
    return error as ServiceError;
  }
  throw new Error("the call succeeded; an error was expected");
}

/**
 * ImportTeams: streams `rows` honouring backpressure (waits for 'drain'), then
 * half-closes; resolves with the plain answer. `onWritten(n)` sees progress.
 */
export function importTeams(
  client: TeamsClient,
  rows: Iterable<Put>,
  options: {
    metadata?: Metadata;
    onWritten?: (count: number, call: { cancel(): void }) => void;
  } = {},
): Promise<ReturnType<ImportTeamsResponse["toObject"]>> {
  return new Promise((resolve, reject) => {
    const call = client.ImportTeams(options.metadata ?? writerMetadata(), (error, response) => {
      if (error || !response) reject(error);
      else resolve(response.toObject());
    });
    const iterator = rows[Symbol.iterator]();
    let written = 0;
    let stopped = false;
    call.on("error", () => {
      stopped = true;
    });
    const pump = () => {
      for (;;) {
        if (stopped) return;
        const next = iterator.next();
        if (next.done) return void call.end();
        const flushed = call.write(new PutTeamRequest(next.value));
        options.onWritten?.(++written, {
          cancel: () => {
            stopped = true;
            call.cancel();
          },
        });
        if (!flushed) return void call.once("drain", pump);
      }
    };
    pump();
  });
}
