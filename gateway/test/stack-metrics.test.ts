// `npm start` turns metrics on and prints where they are: the gateway's on METRICS_PORT and
// each server's on a port of its own, all on loopback; a call shows in both.
import assert from "node:assert/strict";
import { once } from "node:events";
import { after, describe, it } from "node:test";
import { sampleValue, scrape } from "@teams/tools/prometheus-text";
import { TeamRequest } from "@teams/web/gen";
import { freePort } from "./support/free-port.ts";
import { callGrpcWeb } from "./support/grpc-web-request.ts";
import { killStacks, runStack, tinyWebRoot } from "./support/stack-process.ts";

const webRoot = tinyWebRoot();
after(() => {
  killStacks();
  webRoot.cleanup();
});

describe("npm start metrics", { timeout: 60_000 }, () => {
  it("prints the gateway's and the server's metrics URLs, and both count a call", async () => {
    const [port, grpcPort, metricsPort] = [await freePort(), await freePort(), await freePort()];
    const { child, output, waitFor } = runStack({
      PORT: String(port),
      GRPC_PORT: String(grpcPort),
      METRICS_PORT: String(metricsPort),
      WEB_ROOT: webRoot.dir,
    });
    const gatewayUrl = `http://127.0.0.1:${metricsPort}/metrics`;
    await waitFor(`Metrics (Prometheus): gateway ${gatewayUrl}; servers http://127.0.0.1:`);
    await waitFor("/metrics\n");
    const serverUrl = /servers (http:\/\/127\.0\.0\.1:\d+\/metrics)/.exec(output())?.[1] ?? "";

    const call = await callGrpcWeb(`http://127.0.0.1:${port}`, "/Teams/GetTeam", [
      new TeamRequest({ city: "Chicago" }).serialize(),
    ]);
    assert.equal(call.status, 0, call.message);
    const getTeam = { grpc_service: "Teams", grpc_method: "GetTeam", grpc_type: "unary" };
    assert.equal(sampleValue(await scrape(gatewayUrl), "grpc_gateway_started_total", getTeam), 1);
    assert.equal(sampleValue(await scrape(serverUrl), "grpc_server_started_total", getTeam), 1);

    const exited = once(child, "exit");
    child.kill("SIGTERM");
    assert.equal(((await exited) as [number | null])[0], 0, output());
  });
});
