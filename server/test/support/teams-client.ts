import {
  type ChannelCredentials,
  credentials,
  type Metadata,
  type ServiceError,
} from "@grpc/grpc-js";
import {
  ListTeamsRequest,
  TeamRequest,
  type TeamResponse,
  TeamsClient,
} from "../../src/gen/teams.ts";

/** A generated grpc-js client for a server on loopback; close it with `client.close()`. */
export function teamsClient(
  port: number,
  creds: ChannelCredentials = credentials.createInsecure(),
): TeamsClient {
  return new TeamsClient(`127.0.0.1:${port}`, creds);
}

/** GetTeam as a promise of the plain object, or the ServiceError. */
export function getTeam(
  client: TeamsClient,
  city: string,
): Promise<ReturnType<TeamResponse["toObject"]>> {
  return new Promise((resolve, reject) => {
    client.GetTeam(new TeamRequest({ city }), (error, response) => {
      if (error || !response) reject(error);
      else resolve(response.toObject());
    });
  });
}

/** GetTeam expected to fail: resolves with the error (code, details, trailers). */
export async function getTeamError(client: TeamsClient, city: string): Promise<ServiceError> {
  try {
    await getTeam(client, city);
  } catch (error) {
    return error as ServiceError;
  }
  throw new Error(`GetTeam(${JSON.stringify(city)}) succeeded; an error was expected`);
}

/** Every city ListTeams streams, in order. */
export function listCities(client: TeamsClient, prefix: string, limit = 0): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const cities: string[] = [];
    const call = client.ListTeams(new ListTeamsRequest({ prefix, limit }));
    call.on("data", (team: TeamResponse) => cities.push(team.city));
    call.on("error", reject);
    call.on("end", () => resolve(cities));
  });
}

/** ListTeams expected to fail before any team: resolves with the error. */
export function listError(
  client: TeamsClient,
  prefix: string,
): Promise<ServiceError & { metadata: Metadata }> {
  return new Promise((resolve, reject) => {
    const call = client.ListTeams(new ListTeamsRequest({ prefix }));
    call.on("data", () => reject(new Error("ListTeams streamed a team; an error was expected")));
    call.on("error", (error) => resolve(error as ServiceError & { metadata: Metadata }));
    call.on("end", () => reject(new Error("ListTeams ended OK; an error was expected")));
  });
}
