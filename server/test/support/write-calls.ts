import type { Metadata, ServiceError } from "@grpc/grpc-js";
import {
  DeleteTeamRequest,
  type DeleteTeamResponse,
  PutTeamRequest,
  type TeamResponse,
  type TeamsClient,
} from "../../src/gen/teams";
import { writerMetadata } from "./stub-authorizer";

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
