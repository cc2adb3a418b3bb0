// `npm start` end to end: the stack command on free ports, a gRPC-Web call for
// Chicago through it, and a clean exit on SIGTERM. SKIP_WEB_BUILD=1 and a tiny
// WEB_ROOT keep it fast; the page build itself is web/'s business.
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { TeamRequest, TeamResponse } from "@teams/web/gen";
import { portAccepts } from "../src/port-accepts.ts";
import { freePort } from "./support/free-port.ts";
import { callGrpcWeb } from "./support/grpc-web-request.ts";

const stackScript = fileURLToPath(new URL("../src/stack.ts", import.meta.url));
const webRoot = mkdtempSync(join(tmpdir(), "stack-web-"));
writeFileSync(join(webRoot, "index.html"), "<!doctype html><title>Teams</title>");
const children: ChildProcess[] = [];

after(() => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  rmSync(webRoot, { recursive: true, force: true });
});

function runStack(env: Record<string, string>): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, ["--import", "tsx", stackScript], {
    env: { ...process.env, SKIP_WEB_BUILD: "1", WEB_ROOT: webRoot, LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  return { child, output: () => output };
}

async function waitFor(output: () => string, text: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!output().includes(text)) {
    if (child.exitCode !== null) throw new Error(`stack exited early:\n${output()}`);
    if (Date.now() > deadline) throw new Error(`no "${text}" within 60 s:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("npm start (gateway/src/stack.ts)", () => {
  it("serves a gRPC-Web call for Chicago, then stops server and gateway on SIGTERM with exit 0", async () => {
    const [port, grpcPort] = [await freePort(), await freePort()];
    const { child, output } = runStack({ PORT: String(port), GRPC_PORT: String(grpcPort) });
    await waitFor(output, `Teams is up: http://localhost:${port}`, child);

    for (const text of [false, true]) {
      const result = await callGrpcWeb(
        `http://127.0.0.1:${port}`,
        "/Teams/GetTeam",
        [new TeamRequest({ city: "Chicago" }).serialize()],
        { text },
      );
      assert.equal(result.status, 0, result.message);
      assert.equal(TeamResponse.deserialize(result.messages[0] as Buffer).nickname, "Jackals");
    }

    const exited = once(child, "exit");
    child.kill("SIGTERM");
    const [code] = (await exited) as [number | null];
    assert.equal(code, 0, output());
    assert.equal(await portAccepts(port), false, "gateway port closed");
    assert.equal(await portAccepts(grpcPort), false, "server port closed");
  });

  it("says which port is taken and exits non-zero", async () => {
    const blocker = net.createServer().listen(0, "0.0.0.0");
    await once(blocker, "listening");
    const taken = (blocker.address() as net.AddressInfo).port;
    try {
      const { child, output } = runStack({
        PORT: String(taken),
        GRPC_PORT: String(await freePort()),
      });
      const [code] = (await once(child, "exit")) as [number | null];
      assert.notEqual(code, 0);
      assert.match(output(), new RegExp(`port ${taken} is taken \\(PORT\\)`));
    } finally {
      blocker.close();
    }
  });
});
