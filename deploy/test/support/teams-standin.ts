// A stand-in for the scaled Compose stack's native gRPC port, where no Docker engine runs:
// PutTeam (token required), GetTeam and WatchTeams over one in-memory directory, as three
// replicas sharing one database look from outside. `loseWrites` makes it forget every write,
// so the replica check can be shown to fail.
import {
  loadPackageDefinition,
  Server,
  ServerCredentials,
  type ServerUnaryCall,
  type ServerWritableStream,
  type sendUnaryData,
  status,
} from "@grpc/grpc-js";
import { loadSync } from "@grpc/proto-loader";
import { repoPath } from "../../src/stack-files.ts";

interface Team {
  city: string;
  nickname: string;
  found: boolean;
  version: number;
}

export interface StandIn {
  port: number;
  close(): void;
}

export async function startTeamsStandIn({ loseWrites = false } = {}): Promise<StandIn> {
  const definition = loadSync(repoPath("proto/teams.proto"), { keepCase: true, defaults: true });
  const { Teams } = loadPackageDefinition(definition) as unknown as {
    Teams: { service: Parameters<Server["addService"]>[0] };
  };
  const teams = new Map<string, Team>();
  const watchers = new Set<ServerWritableStream<{ prefix: string }, object>>();
  let version = 0;
  const server = new Server();
  server.addService(Teams.service, {
    PutTeam(call: ServerUnaryCall<Team, Team>, callback: sendUnaryData<Team>) {
      if (!String(call.metadata.get("authorization")[0] ?? "").startsWith("Bearer "))
        return callback({ code: status.UNAUTHENTICATED, details: "missing token" });
      const team = { ...call.request, found: true, version: ++version };
      if (!loseWrites) teams.set(team.city, team);
      for (const watcher of watchers)
        if (team.city.startsWith(watcher.request.prefix)) watcher.write({ version, put: team });
      callback(null, team);
    },
    GetTeam(call: ServerUnaryCall<Team, Team>, callback: sendUnaryData<Team>) {
      callback(null, teams.get(call.request.city) ?? { ...call.request, found: false, version: 0 });
    },
    WatchTeams(call: ServerWritableStream<{ prefix: string }, object>) {
      watchers.add(call);
      call.on("cancelled", () => watchers.delete(call));
      call.write({ version, snapshot_complete: {} });
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  return { port, close: () => server.forceShutdown() };
}
