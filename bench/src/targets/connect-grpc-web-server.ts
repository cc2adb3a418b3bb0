// The no-proxy peer: the Teams service served as gRPC-Web directly by @connectrpc/connect-node
// on HTTP/1.1, from runtime descriptors of proto/teams.proto (see teams-schema.ts).
// Env: TEAMS_FILE (JSON array of {city, nickname}).
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { create } from "@bufbuild/protobuf";
import type { ConnectRouter } from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import { teamsSchema } from "../teams-schema.ts";
import { announceListening } from "./announce.ts";
import { readTeamsFile } from "./teams-file.ts";

const teams = readTeamsFile();
const { service, teamResponse } = teamsSchema();

function routes(router: ConnectRouter): void {
  router.service(service, {
    getTeam(req: { city: string }) {
      const team = teams.get(req.city.trim().toLowerCase());
      return create(
        teamResponse,
        team
          ? { city: team.city, nickname: team.nickname, found: true }
          : { city: req.city, nickname: "not a member", found: false },
      );
    },
  } as never);
}

const server = createServer(
  connectNodeAdapter({ routes, grpcWeb: true, grpc: false, connect: false }),
);
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => {
  announceListening((server.address() as AddressInfo).port, () => server.close());
});
