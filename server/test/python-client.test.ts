import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { python, requirePythonModule } from "@teams/tools/system-packages";
import { type RunningServer, startServer } from "../src/index.ts";
import { tempDir } from "./support/teams-files.ts";

const run = promisify(execFile);
const tutorialDir = fileURLToPath(new URL("./tutorial", import.meta.url));

const temp = tempDir();
let server: RunningServer;

before(async () => {
  requirePythonModule("grpc");
  requirePythonModule("grpc_tools");
  server = await startServer({ port: 0, host: "127.0.0.1", logLevel: "silent" });
});
after(async () => {
  await server.shutdown();
  temp.cleanup();
});

describe("the tutorial's Python client", () => {
  it("prints the tutorial's three lines against this server", async () => {
    await run(python, [
      "-m",
      "grpc_tools.protoc",
      `-I${tutorialDir}`,
      `--python_out=${temp.dir}`,
      `--grpc_python_out=${temp.dir}`,
      "teams.proto",
    ]);
    const { stdout } = await run(python, [`${tutorialDir}/client.py`, `127.0.0.1:${server.port}`], {
      env: { ...process.env, PYTHONPATH: temp.dir },
    });
    assert.deepEqual(stdout.trimEnd().split("\n"), [
      "Chicago Jackals",
      "Philadelphia Foxes",
      "Miami not a member",
    ]);
  });
});
