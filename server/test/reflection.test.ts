import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type RunningServer, startServer } from "../src/index.ts";
import { reflectionClient } from "./support/reflection-client.ts";

let server: RunningServer;
before(async () => {
  server = await startServer({ port: 0, host: "127.0.0.1", logLevel: "silent" });
});
after(() => server.shutdown());

for (const version of ["v1", "v1alpha"] as const) {
  describe(`server reflection ${version}`, () => {
    const reflection = () => reflectionClient(server.port, version);

    it("lists Teams without a leading dot, beside health and reflection", async () => {
      const client = reflection();
      try {
        assert.deepEqual(await client.listServices(), [
          "Teams",
          "grpc.health.v1.Health",
          "grpc.reflection.v1.ServerReflection",
          "grpc.reflection.v1alpha.ServerReflection",
        ]);
      } finally {
        client.close();
      }
    });

    it("answers teams.proto, with its service and messages, for Teams and TeamResponse", async () => {
      const client = reflection();
      try {
        for (const symbol of ["Teams", "TeamResponse", "Teams.GetTeam"]) {
          const [file, ...imports] = await client.fileContainingSymbol(symbol);
          assert.equal(file?.name, "teams.proto", symbol);
          assert.equal(file?.package ?? "", "", "the contract has no package");
          assert.deepEqual(imports, []);
          assert.deepEqual(
            file?.messageType.map((message) => message.name),
            [
              "TeamRequest",
              "TeamResponse",
              "ListTeamsRequest",
              "PutTeamRequest",
              "DeleteTeamRequest",
              "DeleteTeamResponse",
              "ImportTeamsResponse",
              "RejectedRow",
              "WatchTeamsRequest",
              "TeamEvent",
              "TeamDeleted",
              "SnapshotComplete",
              "Heartbeat",
            ],
          );
          assert.deepEqual(
            file?.service.map((service) => [
              service.name,
              service.method.map((method) => method.name),
            ]),
            [
              [
                "Teams",
                [
                  "GetTeam",
                  "ListTeams",
                  "PutTeam",
                  "DeleteTeam",
                  "ImportTeams",
                  "LookupTeams",
                  "WatchTeams",
                ],
              ],
            ],
          );
          assert.equal(file?.service[0]?.method[0]?.outputType, ".TeamResponse");
        }
      } finally {
        client.close();
      }
    });

    it("answers the health proto for grpc.health.v1.Health", async () => {
      const client = reflection();
      try {
        const [file] = await client.fileContainingSymbol("grpc.health.v1.Health");
        assert.equal(file?.name, "health/v1/health.proto");
        assert.equal(file?.package, "grpc.health.v1");
      } finally {
        client.close();
      }
    });

    it("answers NOT_FOUND for an unknown symbol", async () => {
      const client = reflection();
      try {
        const response = await client.ask({ fileContainingSymbol: "Nope" });
        assert.equal(response.errorResponse?.errorCode, 5);
        assert.equal(response.errorResponse?.errorMessage, "Symbol not found: Nope");
      } finally {
        client.close();
      }
    });
  });
}
