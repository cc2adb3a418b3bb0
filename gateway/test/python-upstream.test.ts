// The gateway in front of a Python grpcio server (gRPC C-core): not only ours.
import assert from "node:assert/strict";
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import http2 from "node:http2";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { python, requirePythonModule } from "@teams/tools/system-packages";
import { ListTeamsRequest, TeamRequest, TeamResponse } from "@teams/web/gen";
import { encodeEnvelope } from "../src/envelope.ts";
import type { Gateway } from "../src/index.ts";
import { callGrpcWeb } from "./support/grpc-web-request.ts";
import { closeTestGateways, startTestGateway } from "./support/test-gateway.ts";

const repo = fileURLToPath(new URL("../../", import.meta.url));
const serverScript = fileURLToPath(new URL("./python/teams_server.py", import.meta.url));

let stubs: string;
let child: ChildProcess;
let gateway: Gateway;
let pythonPort: number;

before(async () => {
  requirePythonModule("grpc");
  stubs = mkdtempSync(join(tmpdir(), "teams-py-"));
  // A descriptor set, not protoc stubs: Debian's grpc_tools (protoc 3.5) refuses proto3 `optional`.
  const descriptors = join(stubs, "teams.binpb");
  execFileSync(join(repo, "node_modules", ".bin", "buf"), [
    "build",
    join(repo, "proto"),
    "-o",
    descriptors,
  ]);
  child = spawn(python, [serverScript, descriptors], { stdio: ["pipe", "pipe", "inherit"] });
  const [line] = (await once(
    createInterface({ input: child.stdout as NodeJS.ReadableStream }),
    "line",
  )) as [string];
  pythonPort = (JSON.parse(line) as { port: number }).port;
  gateway = await startTestGateway(`127.0.0.1:${pythonPort}`);
});

after(async () => {
  await closeTestGateways();
  if (child && child.exitCode === null) {
    const exited = once(child, "exit");
    child.stdin?.end();
    child.kill("SIGTERM");
    await exited;
  }
  rmSync(stubs, { recursive: true, force: true });
});

describe("a Python grpcio server called directly", () => {
  it("refuses a call without te: trailers (what @grpc-web/proxy sends)", async () => {
    const session = http2.connect(`http://127.0.0.1:${pythonPort}`);
    try {
      const stream = session.request({
        ":method": "POST",
        ":path": "/Teams/GetTeam",
        "content-type": "application/grpc",
      });
      stream.end(encodeEnvelope(0, new TeamRequest({ city: "Chicago" }).serialize()));
      stream.resume();
      const [headers] = (await once(stream, "response")) as [http2.IncomingHttpHeaders];
      assert.equal(headers["grpc-status"], "2");
      assert.equal(headers["grpc-message"], "Missing :te header");
    } finally {
      session.close();
    }
  });
});

describe("through the gateway to a Python grpcio server", () => {
  for (const text of [false, true]) {
    const mode = text ? "text" : "binary";

    it(`looks up Chicago (${mode}); C-core answering at all means te: trailers arrived`, async () => {
      const result = await callGrpcWeb(
        gateway.url,
        "/Teams/GetTeam",
        [new TeamRequest({ city: "Chicago" }).serialize()],
        { text, headers: { "x-echo": "hello" } },
      );
      assert.equal(result.status, 0, result.message);
      assert.deepEqual(TeamResponse.deserialize(result.messages[0] as Buffer).toObject(), {
        city: "Chicago",
        nickname: "Jackals",
        found: true,
        version: 0, // this server keeps no versions
      });
      assert.equal(result.headers["x-echo"], "hello");
      assert.equal(result.trailers["x-echo-trailer"], "hello");
    });

    it(`streams ListTeams (${mode})`, async () => {
      const result = await callGrpcWeb(
        gateway.url,
        "/Teams/ListTeams",
        [new ListTeamsRequest({ prefix: "", limit: 2 }).serialize()],
        { text },
      );
      assert.equal(result.status, 0, result.message);
      assert.deepEqual(
        result.messages.map((message) => TeamResponse.deserialize(message).city),
        ["Chicago", "Detroit"],
      );
    });

    it(`passes INVALID_ARGUMENT and its message through (${mode})`, async () => {
      const result = await callGrpcWeb(
        gateway.url,
        "/Teams/GetTeam",
        [new TeamRequest({ city: " " }).serialize()],
        { text },
      );
      assert.equal(result.status, 3);
      assert.equal(result.message, "city: must be 1 to 128 characters, got 0");
    });
  }

  it("gets UNIMPLEMENTED for a method the Python server lacks", async () => {
    const result = await callGrpcWeb(gateway.url, "/Teams/DeleteTeam", [Buffer.alloc(0)]);
    assert.equal(result.status, 12);
  });
});
