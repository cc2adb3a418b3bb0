import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { Server, ServerCredentials } from "@grpc/grpc-js";
import { HealthImplementation } from "grpc-health-check";
import { probeHealth } from "../src/grpc-health-probe.ts";

const probeFile = fileURLToPath(new URL("../src/grpc-health-probe.ts", import.meta.url));

describe("grpc-health-probe (the server container's health check)", () => {
  const server = new Server();
  const health = new HealthImplementation({
    "": "SERVING",
    Teams: "SERVING",
    Draining: "NOT_SERVING",
  });
  let target = "";

  before(async () => {
    health.addToServer(server);
    const port = await new Promise<number>((resolve, reject) => {
      server.bindAsync("127.0.0.1:0", ServerCredentials.createInsecure(), (error, bound) =>
        error ? reject(error) : resolve(bound),
      );
    });
    target = `127.0.0.1:${port}`;
  });

  after(() => {
    server.forceShutdown();
  });

  it("reports SERVING for a serving service", async () => {
    assert.deepEqual(await probeHealth(target, "Teams"), { serving: true, detail: "SERVING" });
  });

  it("reports a draining service as not serving", async () => {
    assert.deepEqual(await probeHealth(target, "Draining"), {
      serving: false,
      detail: "NOT_SERVING",
    });
  });

  it("reports an unknown service with NOT_FOUND", async () => {
    const result = await probeHealth(target, "Nope");
    assert.equal(result.serving, false);
    assert.match(result.detail, /^5 NOT_FOUND/);
  });

  it("reports a closed port as UNAVAILABLE within its deadline", async () => {
    const closed = new Server();
    const port = await new Promise<number>((resolve, reject) => {
      closed.bindAsync("127.0.0.1:0", ServerCredentials.createInsecure(), (error, bound) =>
        error ? reject(error) : resolve(bound),
      );
    });
    closed.forceShutdown();
    const result = await probeHealth(`127.0.0.1:${port}`, "Teams", 1000);
    assert.equal(result.serving, false);
    assert.match(result.detail, /^(14 UNAVAILABLE|4 DEADLINE_EXCEEDED)/);
  });

  it("exits 0 when serving and 1 when not, as Docker's HEALTHCHECK reads it", async () => {
    const run = promisify(execFile);
    const ok = await run(process.execPath, ["--import", "tsx", probeFile, target, "Teams"]);
    assert.match(ok.stdout, /health of "Teams" at .*: SERVING/);
    await assert.rejects(
      run(process.execPath, ["--import", "tsx", probeFile, target, "Draining"]),
      (error: { code?: number; stderr?: string }) => {
        assert.equal(error.code, 1);
        assert.match(error.stderr ?? "", /NOT_SERVING/);
        return true;
      },
    );
  });
});
