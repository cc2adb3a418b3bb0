// Production runs compiled JavaScript: `npm run build -w server` / `-w gateway` (the
// same script, scripts/build-node.ts) compiled into a temporary folder beside dist/,
// then run with plain `node` (no tsx): a gRPC-Web call for Chicago goes through both.
import assert from "node:assert/strict";
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { after, describe, it } from "node:test";
import { TeamRequest, TeamResponse } from "@teams/web/gen";
import { callGrpcWeb } from "./support/grpc-web-request.ts";
import { repoRoot } from "./support/stack-process.ts";

const buildScript = join(repoRoot, "scripts/build-node.ts");
const temporary: string[] = [];
const children: ChildProcess[] = [];
after(() => {
  for (const child of children) child.kill("SIGKILL");
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

/** Builds a workspace the way its `build` script does, into <workspace>/.dist-test-*. */
function buildWorkspace(workspace: "server" | "gateway"): string {
  const cwd = join(repoRoot, workspace);
  // Same depth as dist/, so paths the code resolves from its own file still hold.
  const dir = mkdtempSync(join(cwd, ".dist-test-"));
  temporary.push(dir);
  const outfile = join(dir, "main.js");
  execFileSync(process.execPath, ["--import", "tsx", buildScript, outfile], { cwd });
  return outfile;
}

/** Runs a built entry point with plain node; resolves with the port of its listening line. */
function runBuilt(main: string, env: Record<string, string>, message: string): Promise<number> {
  const child = spawn(process.execPath, [main], {
    env: { ...process.env, NODE_OPTIONS: "", LOG_FORMAT: "json", ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`${main} exited (code ${code})`)));
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on("line", (line) => {
      const entry = JSON.parse(line) as { msg?: string; port?: number };
      if (entry.msg === message) resolve(entry.port as number);
    });
  });
}

describe("the compiled server and gateway (npm run build)", { timeout: 120_000 }, () => {
  it("run with plain node and answer a gRPC-Web call for Chicago", async () => {
    const serverPort = await runBuilt(
      buildWorkspace("server"),
      { GRPC_PORT: "0", HOST: "127.0.0.1" },
      "listening",
    );
    const gatewayPort = await runBuilt(
      buildWorkspace("gateway"),
      { PORT: "0", HOST: "127.0.0.1", UPSTREAM: `127.0.0.1:${serverPort}` },
      "gateway listening",
    );
    const result = await callGrpcWeb(`http://127.0.0.1:${gatewayPort}`, "/Teams/GetTeam", [
      new TeamRequest({ city: "Chicago" }).serialize(),
    ]);
    assert.equal(result.status, 0, result.message);
    assert.equal(TeamResponse.deserialize(result.messages[0] as Buffer).nickname, "Jackals");
  });
});
