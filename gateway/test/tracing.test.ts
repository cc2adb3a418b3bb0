// W3C trace context through the stack: a gRPC-Web call carrying the page's traceparent gives a
// gateway span (child of the caller's span, naming the upstream), a server span (child of the
// gateway's) and a store span (child of the server's), all sent over OTLP to a receiver the
// test starts; the server's call log line carries the trace id.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { loadServerTracing, type RunningServer, startServer } from "@teams/server";
import { TeamRequest } from "@teams/server/gen/teams";
import { Logger } from "@teams/server/logger";
import type { Gateway } from "../src/index.ts";
import { createLogger } from "../src/logger.ts";
import { loadGatewayTracing } from "../src/tracing/gateway-tracing.ts";
import { callGrpcWeb } from "./support/grpc-web-request.ts";
import { type OtlpReceiver, startOtlpReceiver } from "./support/otlp-receiver.ts";
import { closeTestGateways, startTestGateway } from "./support/test-gateway.ts";
import { startTracedStack } from "./support/traced-stack.ts";

const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
const browserSpanId = "00f067aa0ba902b7";
const serverLog: Array<Record<string, unknown>> = [];
let receiver: OtlpReceiver;
let server: RunningServer;
let gateway: Gateway;

before(async () => {
  ({ receiver, server, gateway } = await startTracedStack({
    serverLogger: new Logger("info", (line) => serverLog.push(JSON.parse(line))),
  }));
});
after(async () => {
  await closeTestGateways();
  await receiver.close();
});

describe("tracing", { timeout: 30_000 }, () => {
  it("is not loaded without OTEL_EXPORTER_OTLP_ENDPOINT", async () => {
    assert.equal(await loadServerTracing({}), undefined);
    assert.equal(await loadGatewayTracing("127.0.0.1:1", {}), undefined);
  });

  it("links the caller's, the gateway's, the server's and the store's spans", async () => {
    const result = await callGrpcWeb(
      gateway.url,
      "/Teams/GetTeam",
      [new TeamRequest({ city: "Chicago" }).serializeBinary()],
      { text: true, headers: { traceparent: `00-${traceId}-${browserSpanId}-01` } },
    );
    assert.equal(result.status, 0, result.message);
    // Closing flushes each side's spans to the receiver (awaited: nothing left to wait for).
    await gateway.close();
    await server.shutdown();

    const spans = receiver.spans.filter((span) => span.traceId === traceId);
    const gatewaySpan = spans.find((span) => span.service === "teams-gateway");
    const serverSpan = spans.find(
      (span) => span.service === "teams-server" && span.name === "Teams/GetTeam",
    );
    const storeSpan = spans.find((span) => span.name === "store get");
    assert.ok(gatewaySpan && serverSpan && storeSpan, JSON.stringify(receiver.spans, null, 1));
    assert.equal(gatewaySpan.name, "Teams/GetTeam");
    assert.equal(gatewaySpan.parentSpanId, browserSpanId);
    assert.equal(gatewaySpan.attributes["teams.upstream"], `127.0.0.1:${server.port}`);
    assert.equal(serverSpan.parentSpanId, gatewaySpan.spanId);
    assert.equal(serverSpan.attributes["rpc.grpc.status_code"], 0);
    assert.equal(storeSpan.parentSpanId, serverSpan.spanId);
    // Background queries (the read cache following the change log, health, the change feed)
    // start no trace of their own: every store span belongs to a call.
    const strayStoreSpans = receiver.spans.filter(
      (span) => span.name.startsWith("store ") && span.traceId !== traceId,
    );
    assert.deepEqual(strayStoreSpans, []);

    const line = serverLog.find(
      (entry) => entry.msg === "call" && entry.method === "/Teams/GetTeam",
    );
    assert.equal(line?.trace_id, traceId);
  });

  it("names the endpoint each call went to when the gateway has several", async () => {
    const own = await startOtlpReceiver();
    const servers = await Promise.all(
      [0, 1].map(() => startServer({ port: 0, host: "127.0.0.1", logLevel: "silent" })),
    );
    const addresses = servers.map((replica) => `127.0.0.1:${replica.port}`);
    const upstream = addresses.join(",");
    const accessLog: Array<Record<string, unknown>> = [];
    try {
      const pool = await startTestGateway(upstream, {
        services: undefined,
        logger: createLogger("info", (line) => accessLog.push(JSON.parse(line))),
        tracing: await loadGatewayTracing(upstream, {
          OTEL_EXPORTER_OTLP_ENDPOINT: own.endpoint,
          OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
        }),
      });
      for (let call = 0; call < 10; call++) {
        const result = await callGrpcWeb(pool.url, "/Teams/GetTeam", [
          new TeamRequest({ city: "Chicago" }).serializeBinary(),
        ]);
        assert.equal(result.status, 0, result.message);
      }
      const calls = Object.fromEntries(
        pool.upstreamStats().endpoints.map((endpoint) => [endpoint.address, endpoint.calls]),
      );
      await pool.close(); // flushes its spans
      const spanUpstreams = own.spans.map((span) => span.attributes["teams.upstream"]);
      const logUpstreams = accessLog
        .filter((line) => line.msg === "call")
        .map((line) => line.upstream);
      for (const seen of [spanUpstreams, logUpstreams]) {
        const perEndpoint = Object.fromEntries(
          addresses.map((address) => [address, seen.filter((value) => value === address).length]),
        );
        assert.deepEqual(perEndpoint, calls, JSON.stringify(seen));
      }
    } finally {
      await Promise.all(servers.map((replica) => replica.shutdown()));
      await own.close();
    }
  });
});
