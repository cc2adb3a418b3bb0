// Prometheus metrics (src/metrics/): after a known set of calls the scraped counters and
// histogram counts are exactly right, labels stay bounded, and promtool accepts the exposition.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  metricFamilies,
  promtoolProblems,
  sampleValue,
  scrape,
} from "@teams/tools/prometheus-text";
import { readConfig } from "../src/config.ts";
import type { TeamsClient } from "../src/gen/teams.ts";
import { type RunningServer, startServer } from "../src/index.ts";
import { checkHealth, healthClient } from "./support/health-client.ts";
import { MemoryTeamStore } from "./support/memory-team-store.ts";
import { recordingLogger } from "./support/recording-logger.ts";
import { stubAuthorizer } from "./support/stub-authorizer.ts";
import { getTeam, getTeamError, listCities, teamsClient } from "./support/teams-client.ts";
import { watchTeams } from "./support/watch-client.ts";
import { putTeam } from "./support/write-calls.ts";

const teams = ["Austin", "Boston", "Chicago", "Denver", "Elgin"].map((city) => ({
  city,
  nickname: `${city} Owls`,
}));
const unary = { grpc_service: "Teams", grpc_type: "unary" };
let server: RunningServer;
let client: TeamsClient;
let metricsUrl: string;

before(async () => {
  server = await startServer({
    port: 0,
    host: "127.0.0.1",
    logger: recordingLogger().logger,
    store: new MemoryTeamStore(teams),
    authorizer: stubAuthorizer,
    watch: { pollMs: 60_000 },
    metrics: { port: 0 },
  });
  client = teamsClient(server.port);
  metricsUrl = `http://127.0.0.1:${server.metrics?.port}/metrics`;
});
after(async () => {
  client.close();
  await server.shutdown();
});

describe("server metrics", { timeout: 30_000 }, () => {
  it("counts calls by method and Go status name, and times each one", async () => {
    for (let i = 0; i < 3; i++) await getTeam(client, "Chicago");
    await getTeamError(client, ""); // INVALID_ARGUMENT: a city is required
    await getTeamError(client, " ");
    assert.equal((await listCities(client, "")).length, 5);
    const health = healthClient(server.port);
    await checkHealth(health, "Teams");
    health.close();

    const text = await scrape(metricsUrl);
    const getTeamLabels = { ...unary, grpc_method: "GetTeam" };
    assert.equal(sampleValue(text, "grpc_server_started_total", getTeamLabels), 5);
    assert.equal(
      sampleValue(text, "grpc_server_handled_total", { ...getTeamLabels, grpc_code: "OK" }),
      3,
    );
    assert.equal(
      sampleValue(text, "grpc_server_handled_total", {
        ...getTeamLabels,
        grpc_code: "InvalidArgument",
      }),
      2,
    );
    assert.equal(sampleValue(text, "grpc_server_handling_seconds_count", getTeamLabels), 5);
    assert.equal(
      sampleValue(text, "grpc_server_handling_seconds_bucket", { ...getTeamLabels, le: "+Inf" }),
      5,
    );
    assert.equal(sampleValue(text, "grpc_server_msg_received_total", getTeamLabels), 5);
    assert.equal(sampleValue(text, "grpc_server_msg_sent_total", getTeamLabels), 3);

    const list = { grpc_service: "Teams", grpc_method: "ListTeams", grpc_type: "server_stream" };
    assert.equal(sampleValue(text, "grpc_server_handled_total", { ...list, grpc_code: "OK" }), 1);
    assert.equal(sampleValue(text, "grpc_server_msg_received_total", list), 1);
    assert.equal(sampleValue(text, "grpc_server_msg_sent_total", list), 5);
    assert.equal(sampleValue(text, "grpc_server_open_streams", list), 0);

    const check = {
      grpc_service: "grpc.health.v1.Health",
      grpc_method: "Check",
      grpc_type: "unary",
    };
    assert.equal(sampleValue(text, "grpc_server_handled_total", { ...check, grpc_code: "OK" }), 1);
    // Three store reads: the invalid cities never reach the store.
    const reads = { operation: "get", store: "memory-test-double" };
    assert.equal(sampleValue(text, "teams_store_query_seconds_count", reads), 3);
    assert.ok(metricFamilies(text).has("process_cpu_seconds_total"));
  });

  it("shows open watches and the change feed catching up", async () => {
    const watch = watchTeams(client, { prefix: "" });
    await watch.until((events) => events.some((event) => event.startsWith("snapshot_complete")));
    await putTeam(client, { city: "Fresno", nickname: "Figs" });
    await watch.until((events) => events.some((event) => event.startsWith("put Fresno")));
    const text = await scrape(metricsUrl);
    const watchLabels = {
      grpc_service: "Teams",
      grpc_method: "WatchTeams",
      grpc_type: "server_stream",
    };
    assert.equal(sampleValue(text, "teams_watchers"), 1);
    assert.equal(sampleValue(text, "grpc_server_open_streams", watchLabels), 1);
    assert.equal(sampleValue(text, "teams_change_feed_lag_versions"), 0);
    watch.call.cancel();
    await watch.ended;
  });

  it("passes promtool check metrics", async () => {
    assert.equal(promtoolProblems(await scrape(metricsUrl)), "");
  });

  it("answers only GET /metrics, on its own port", async () => {
    const response = await fetch(`http://127.0.0.1:${server.metrics?.port}/`);
    assert.equal(response.status, 404);
    assert.notEqual(server.metrics?.port, server.port);
    assert.equal(server.metrics?.host, "127.0.0.1");
  });

  it("is off unless METRICS_PORT is set, and binds METRICS_HOST when given", () => {
    assert.equal(readConfig({}).metrics, undefined);
    assert.deepEqual(readConfig({ METRICS_PORT: "9464" }).metrics, {
      port: 9464,
      host: "127.0.0.1",
    });
    assert.deepEqual(readConfig({ METRICS_PORT: "9464", METRICS_HOST: "0.0.0.0" }).metrics, {
      port: 9464,
      host: "0.0.0.0",
    });
    assert.throws(
      () => readConfig({ METRICS_PORT: "http" }),
      /METRICS_PORT must be a whole number/,
    );
  });
});
