// Tracing costs nothing when off: `npm start` (the gateway, and a server as its child
// process) without OTEL_EXPORTER_OTLP_ENDPOINT serves a call without loading any
// OpenTelemetry SDK, exporter or tracing code of ours, ESM or CommonJS, in either process
// (prom-client alone requires the no-op API). The same run with the variable set records
// them in both, so the recorder (support/otel-load-recorder.mjs) does see loads.
import assert from "node:assert/strict";
import { once } from "node:events";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { TeamRequest } from "@teams/web/gen";
import { freePort } from "./support/free-port.ts";
import { callGrpcWeb } from "./support/grpc-web-request.ts";
import { startOtlpReceiver } from "./support/otlp-receiver.ts";
import { killStacks, runStack, tinyWebRoot } from "./support/stack-process.ts";

const recorder = new URL("./support/otel-load-recorder.mjs", import.meta.url).href;
const recordDir = mkdtempSync(join(tmpdir(), "otel-loads-"));
const webRoot = tinyWebRoot();
after(() => {
  killStacks();
  webRoot.cleanup();
  rmSync(recordDir, { recursive: true, force: true });
});

type Load = { pid: number; main: string; url: string; requiredBy?: string };

/** Runs `npm start` with `env`, makes one GetTeam call, stops it and returns what it loaded. */
async function openTelemetryLoads(name: string, env: Record<string, string>): Promise<Load[]> {
  const record = join(recordDir, `${name}.jsonl`);
  writeFileSync(record, "");
  const port = await freePort();
  const stack = runStack({
    PORT: String(port),
    GRPC_PORT: String(await freePort()),
    WEB_ROOT: webRoot.dir,
    OTEL_LOAD_RECORD: record,
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --import ${recorder}`.trim(),
    ...env,
  });
  await stack.waitFor("Teams is up");
  const call = await callGrpcWeb(`http://127.0.0.1:${port}`, "/Teams/GetTeam", [
    new TeamRequest({ city: "Chicago" }).serialize(),
  ]);
  assert.equal(call.status, 0, call.message);
  const exited = once(stack.child, "exit");
  stack.child.kill("SIGTERM");
  assert.equal(((await exited) as [number | null])[0], 0, stack.output());
  return readFileSync(record, "utf8")
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as Load);
}

/** Which programs loaded something: the gateway's stack.ts, the server's main.ts. */
function programs(loads: readonly Load[]): string[] {
  return [...new Set(loads.map((load) => load.main.replace(/^.*\/(\w+\/src\/)/, "$1")))].sort();
}

describe("tracing off", { timeout: 120_000 }, () => {
  it("loads no OpenTelemetry SDK, exporter or tracing code in the gateway or the server", async () => {
    const loads = await openTelemetryLoads("off", {
      OTEL_EXPORTER_OTLP_ENDPOINT: "",
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "",
    });
    // Only @opentelemetry/api's CommonJS files: prom-client requires the API (a no-op without a
    // provider) for its process CPU metric's exemplars, which we never turn on.
    assert.deepEqual(
      loads.filter((load) => !load.url.includes("/node_modules/@opentelemetry/api/build/src/")),
      [],
    );
    const outsideRequirers = loads
      .map((load) => load.requiredBy ?? "")
      .filter((file) => !file.includes("/@opentelemetry/api/"));
    assert.deepEqual(
      [...new Set(outsideRequirers.map((file) => file.replace(/^.*\/node_modules\//, "")))],
      ["prom-client/lib/metrics/processCpuTotal.js"],
    );
  });

  it("loads it in both when OTEL_EXPORTER_OTLP_ENDPOINT is set (the recorder sees it)", async () => {
    const receiver = await startOtlpReceiver();
    try {
      const loads = await openTelemetryLoads("on", {
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
        OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
      });
      assert.deepEqual(programs(loads), ["gateway/src/stack.ts", "server/src/main.ts"]);
      for (const program of programs(loads)) {
        const urls = loads.filter((load) => load.main.endsWith(program)).map((load) => load.url);
        assert.ok(
          urls.some((url) => url.includes("/@opentelemetry/api/")),
          `${program}: ${urls.join("\n")}`,
        );
      }
    } finally {
      await receiver.close();
    }
  });
});
