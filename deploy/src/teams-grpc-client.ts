// A native gRPC client for the Teams contract (proto/teams.proto, loaded at run time), for the
// checks that run against a deployed stack: what any grpc-js user would write.
import { credentials, loadPackageDefinition, Metadata, type ServiceError } from "@grpc/grpc-js";
import { loadSync } from "@grpc/proto-loader";
import { repoPath } from "./stack-files.ts";

export interface Team {
  city: string;
  nickname: string;
  found: boolean;
  version: string;
}

export interface TeamEvent {
  version: string;
  event?: "put" | "deleted" | "snapshot_complete" | "heartbeat";
  put?: Team;
}

const definition = loadSync(repoPath("proto/teams.proto"), {
  keepCase: true,
  longs: String,
  defaults: true,
  oneofs: true,
});

type Unary = (
  request: object,
  metadata: Metadata,
  options: { deadline: Date },
  callback: (error: ServiceError | null, response: Team) => void,
) => void;

interface Stream {
  on(event: "data", listener: (event: TeamEvent) => void): Stream;
  on(event: "error", listener: (error: ServiceError) => void): Stream;
  cancel(): void;
}

export interface TeamsClient {
  GetTeam: Unary;
  PutTeam: Unary;
  WatchTeams(request: object): Stream;
  close(): void;
}

type ClientConstructor = new (
  target: string,
  creds: ReturnType<typeof credentials.createInsecure>,
) => TeamsClient;

export function teamsClient(target: string): TeamsClient {
  const Teams = (loadPackageDefinition(definition) as unknown as { Teams: ClientConstructor })
    .Teams;
  return new Teams(target, credentials.createInsecure());
}

/** A unary call as a promise, with a deadline and optional bearer token. */
export function unary(
  client: TeamsClient,
  method: "GetTeam" | "PutTeam",
  request: object,
  token?: string,
  timeoutMs = 5000,
): Promise<Team> {
  const metadata = new Metadata();
  if (token) metadata.set("authorization", `Bearer ${token}`);
  const deadline = new Date(Date.now() + timeoutMs);
  return new Promise((resolve, reject) => {
    client[method].call(client, request, metadata, { deadline }, (error, response) =>
      error ? reject(error) : resolve(response),
    );
  });
}
