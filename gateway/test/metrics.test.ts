// Gateway Prometheus metrics (src/metrics/): after a known set of gRPC-Web calls through a
// real server, the scraped counters and histogram counts are exactly right; labels stay
// bounded; upstream stats of both shapes become series; promtool accepts the exposition.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ListTeamsRequest, TeamRequest, UnimplementedTeamsService } from "@teams/server/gen/teams";
import { promtoolProblems, sampleValue, scrape } from "@teams/tools/prometheus-text";
import { Registry } from "prom-client";
import { gatewayOptionsFromEnv } from "../src/config.ts";
import { contractMethods } from "../src/metrics/method-labels.ts";
import { upstreamCollectors } from "../src/metrics/upstream-collector.ts";
import { callGrpcWeb } from "./support/grpc-web-request.ts";
import { startHeldCall } from "./support/held-call.ts";
import { startTeamsStack, type TeamsStack } from "./support/teams-stack.ts";

let stack: TeamsStack;
const getTeam = { grpc_service: "Teams", grpc_method: "GetTeam", grpc_type: "unary" };

before(async () => {
  stack = await startTeamsStack({ metrics: { port: 0 }, bodyIdleTimeoutMs: 400 });
});
after(() => stack.close());

const city = (name: string) => new TeamRequest({ city: name }).serializeBinary();

describe("gateway metrics", { timeout: 30_000 }, () => {
  it("counts calls by method, status and encoding, with latency, bytes and open calls", async () => {
    const url = stack.gateway.url;
    for (let i = 0; i < 3; i++)
      assert.equal((await callGrpcWeb(url, "/Teams/GetTeam", [city("Chicago")])).status, 0);
    assert.equal(
      (await callGrpcWeb(url, "/Teams/GetTeam", [city("Chicago")], { text: true })).status,
      0,
    );
    assert.equal((await callGrpcWeb(url, "/Teams/GetTeam", [city("")])).status, 3);
    const list = await callGrpcWeb(
      url,
      "/Teams/ListTeams",
      [new ListTeamsRequest({ prefix: "" }).serializeBinary()],
      { text: true },
    );
    assert.equal(list.status, 0);
    assert.equal((await callGrpcWeb(url, "/Teams/NoSuchMethod", [city("x")])).status, 12);

    const text = await scrape(stack.gateway.metrics?.url ?? "");
    assert.equal(sampleValue(text, "grpc_gateway_started_total", getTeam), 5);
    assert.equal(
      sampleValue(text, "grpc_gateway_handled_total", { ...getTeam, grpc_code: "OK" }),
      4,
    );
    assert.equal(
      sampleValue(text, "grpc_gateway_handled_total", { ...getTeam, grpc_code: "InvalidArgument" }),
      1,
    );
    assert.equal(sampleValue(text, "grpc_gateway_handling_seconds_count", getTeam), 5);
    assert.equal(
      sampleValue(text, "grpc_gateway_handling_seconds_bucket", { ...getTeam, le: "+Inf" }),
      5,
    );
    assert.equal(sampleValue(text, "grpc_gateway_web_calls_total", { mode: "text" }), 2);
    assert.equal(sampleValue(text, "grpc_gateway_web_calls_total", { mode: "binary" }), 5);
    assert.equal(sampleValue(text, "grpc_gateway_open_calls", getTeam), 0);
    const listLabels = {
      grpc_service: "Teams",
      grpc_method: "ListTeams",
      grpc_type: "server_stream",
    };
    assert.equal(
      sampleValue(text, "grpc_gateway_sent_bytes_total", listLabels),
      list.rawBody.length,
    );
    assert.ok((sampleValue(text, "grpc_gateway_received_bytes_total", getTeam) ?? 0) > 0);
    // Messages: one request per call; an answer for each valid GetTeam, a team per ListTeams one.
    assert.equal(sampleValue(text, "grpc_gateway_msg_received_total", getTeam), 5);
    assert.equal(sampleValue(text, "grpc_gateway_msg_sent_total", getTeam), 4);
    assert.equal(sampleValue(text, "grpc_gateway_msg_received_total", listLabels), 1);
    assert.ok(list.messages.length > 1);
    assert.equal(
      sampleValue(text, "grpc_gateway_msg_sent_total", listLabels),
      list.messages.length,
    );
    const unknown = { grpc_service: "unknown", grpc_method: "unknown", grpc_type: "unknown" };
    assert.equal(
      sampleValue(text, "grpc_gateway_handled_total", { ...unknown, grpc_code: "Unimplemented" }),
      1,
    );
    assert.doesNotMatch(text, /NoSuchMethod/);
    assert.equal(sampleValue(text, "grpc_gateway_upstream_sessions_opened_total"), 1);
    assert.equal(sampleValue(text, "grpc_gateway_upstream_open_streams"), 0);
    assert.equal(promtoolProblems(text), "");
  });

  it("counts a call cut because its request body stalled", async () => {
    const stalled = startHeldCall(stack.gateway.url, "/Teams/GetTeam", city("Chicago"), {
      holdBody: 3,
    });
    assert.equal((await stalled.result).status, 4);
    const text = await scrape(stack.gateway.metrics?.url ?? "");
    assert.equal(sampleValue(text, "grpc_gateway_stalled_requests_total", getTeam), 1);
    assert.equal(
      sampleValue(text, "grpc_gateway_handled_total", {
        ...getTeam,
        grpc_code: "DeadlineExceeded",
      }),
      1,
    );
  });

  it("serves metrics only on the metrics port, on loopback", async () => {
    const metrics = stack.gateway.metrics;
    assert.equal(metrics?.host, "127.0.0.1");
    assert.notEqual(metrics?.port, stack.gateway.port);
    const publicAnswer = await fetch(new URL("/metrics", stack.gateway.url));
    assert.doesNotMatch(await publicAnswer.text(), /grpc_gateway_started_total/);
  });

  it("labels only the contract's methods (the server's own list) and health", () => {
    const served = Object.values(UnimplementedTeamsService.definition).map((method) => method.path);
    const listed = Object.keys(contractMethods).filter((path) => path.startsWith("/Teams/"));
    assert.deepEqual(listed.sort(), served.sort());
  });

  it("turns each upstream endpoint's stats (the pool's shape) into series", async () => {
    const registry = new Registry();
    upstreamCollectors(registry, () => ({
      sessionsOpened: 3,
      openStreams: 2,
      endpoints: [
        {
          address: "10.0.0.1:50051",
          healthy: true,
          ejected: false,
          sessions: 1,
          openStreams: 2,
          calls: 7,
          failures: 0,
          ejections: 0,
        },
        {
          address: "10.0.0.2:50051",
          healthy: false,
          ejected: true,
          sessions: 0,
          openStreams: 0,
          calls: 4,
          failures: 2,
          idleTimeouts: 3,
          ejections: 1,
        },
      ],
    }));
    const text = await registry.metrics();
    assert.equal(
      sampleValue(text, "grpc_gateway_upstream_healthy", { endpoint: "10.0.0.2:50051" }),
      0,
    );
    assert.equal(
      sampleValue(text, "grpc_gateway_upstream_ejected", { endpoint: "10.0.0.2:50051" }),
      1,
    );
    assert.equal(
      sampleValue(text, "grpc_gateway_upstream_calls_total", { endpoint: "10.0.0.1:50051" }),
      7,
    );
    assert.equal(
      sampleValue(text, "grpc_gateway_upstream_failures_total", { endpoint: "10.0.0.2:50051" }),
      2,
    );
    assert.equal(
      sampleValue(text, "grpc_gateway_upstream_endpoint_open_streams", {
        endpoint: "10.0.0.1:50051",
      }),
      2,
    );
    assert.equal(
      sampleValue(text, "grpc_gateway_upstream_idle_timeouts_total", {
        endpoint: "10.0.0.2:50051",
      }),
      3,
    );
    assert.equal(sampleValue(text, "grpc_gateway_upstream_sessions_opened_total"), 3);
    assert.equal(promtoolProblems(text), "");
  });

  it("is off unless METRICS_PORT is set", () => {
    assert.equal(gatewayOptionsFromEnv({}).metrics, undefined);
    assert.deepEqual(gatewayOptionsFromEnv({ METRICS_PORT: "9464" }).metrics, {
      port: 9464,
      host: "127.0.0.1",
    });
    assert.throws(() => gatewayOptionsFromEnv({ METRICS_PORT: "x" }), /METRICS_PORT/);
  });
});
