// Active health checks (grpc.health.v1.Health/Check) and passive outlier ejection: an
// endpoint that stops serving leaves the rotation, calls fail at once with UNAVAILABLE when
// none is left, and succeed again as soon as one is back.
import assert from "node:assert/strict";
import { after, afterEach, describe, it } from "node:test";
import { Server, ServerCredentials } from "@grpc/grpc-js";
import { TeamRequest } from "@teams/web/gen";
import { HealthImplementation } from "grpc-health-check";
import { eventually } from "./support/eventually.ts";
import { callGrpcWeb } from "./support/grpc-web-request.ts";
import { recordingLogger } from "./support/recording-logger.ts";
import { startTeamsServer, type TeamsServer } from "./support/teams-server.ts";
import { closeTestGateways, startTestGateway } from "./support/test-gateway.ts";

const servers: TeamsServer[] = [];
const grpcServers: Server[] = [];
afterEach(closeTestGateways);
after(() => {
  for (const server of servers) server.forceShutdown();
  for (const server of grpcServers) server.forceShutdown();
});

/** A bare grpc-js server with only the health service, whose status the test sets. */
async function healthServer(): Promise<{ port: number; health: HealthImplementation }> {
  const server = new Server();
  const health = new HealthImplementation({ "": "SERVING", Teams: "SERVING" });
  health.addToServer(server);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  grpcServers.push(server);
  return { port, health };
}

/** The health check itself, forwarded through the gateway: a call any such server answers. */
const healthCheck = (url: string) =>
  callGrpcWeb(url, "/grpc.health.v1.Health/Check", [new Uint8Array()]);

describe("upstream health", { timeout: 60_000 }, () => {
  it("a NOT_SERVING endpoint fails calls at once, naming it and why; they succeed once it serves again", async () => {
    const { port, health } = await healthServer();
    const logger = recordingLogger();
    const gateway = await startTestGateway(`127.0.0.1:${port}`, {
      upstreamHealthIntervalMs: 50,
      logger,
    });
    assert.equal((await healthCheck(gateway.url)).status, 0);
    health.setStatus("Teams", "NOT_SERVING");
    await eventually(() => gateway.upstreamStats().endpoints[0]?.healthy === false);
    const refused = await healthCheck(gateway.url);
    assert.equal(refused.status, 14);
    assert.match(refused.message, new RegExp(`upstream 127.0.0.1:${port} unavailable`));
    assert.match(
      refused.message,
      /no healthy endpoint: .*unhealthy \(health check for "Teams" answered NOT_SERVING\)/,
    );
    health.setStatus("Teams", "SERVING");
    await eventually(() => gateway.upstreamStats().endpoints[0]?.healthy === true);
    assert.equal((await healthCheck(gateway.url)).status, 0);
    // One log line per change.
    const changes = logger.lines.filter((line) => line.msg.startsWith("upstream endpoint "));
    assert.deepEqual(
      changes.map((line) => line.msg),
      ["upstream endpoint unhealthy", "upstream endpoint healthy"],
    );
  });

  it("a replica that refuses connections is ejected after 5 failures; calls retried elsewhere all succeed", async () => {
    const [a, b] = [await startTeamsServer(), await startTeamsServer()];
    servers.push(a, b);
    // Port 1: nothing listens, every connection is refused. No active checks: passive only.
    const gateway = await startTestGateway(`127.0.0.1:${a.port},127.0.0.1:1,127.0.0.1:${b.port}`);
    const chicago = new TeamRequest({ city: "Chicago" }).serialize();
    for (let index = 0; index < 60; index += 1) {
      const result = await callGrpcWeb(gateway.url, "/Teams/GetTeam", [chicago]);
      assert.equal(result.status, 0, result.message);
    }
    const dead = gateway.upstreamStats().endpoints.find((e) => e.address === "127.0.0.1:1");
    assert.equal(dead?.ejected, true);
    assert.equal(dead?.ejections, 1);
    assert.equal(dead?.failures, 5);
    assert.match(dead?.lastFailure ?? "", /ECONNREFUSED/);
  });
});
