// `npm start` with TLS_CERT/TLS_KEY: the gateway serves HTTPS (HTTP/2) and prints an
// https:// URL, while the server it starts stays plaintext on loopback (it must not
// pick up the gateway's certificate, or every call would fail).
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http2 from "node:http2";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { makeCertificates } from "@teams/tools/throwaway-ca";
import { TeamRequest, TeamResponse } from "@teams/web/gen";
import { freePort } from "./support/free-port.ts";
import { callGrpcWebH2 } from "./support/grpc-web-h2-request.ts";

const stackScript = fileURLToPath(new URL("../src/stack.ts", import.meta.url));
const webRoot = mkdtempSync(join(tmpdir(), "stack-tls-web-"));
writeFileSync(join(webRoot, "index.html"), "<!doctype html><title>Teams</title>");
const certs = makeCertificates(["localhost", "127.0.0.1"]);
let child: ChildProcess | undefined;

after(() => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  rmSync(webRoot, { recursive: true, force: true });
  certs.cleanup();
});

async function waitFor(output: () => string, text: string, process: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!output().includes(text)) {
    if (process.exitCode !== null) throw new Error(`stack exited early:\n${output()}`);
    if (Date.now() > deadline) throw new Error(`no "${text}" within 60 s:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("npm start with TLS_CERT and TLS_KEY", () => {
  it("prints an https:// URL, answers over HTTP/2, and stops with exit 0", async () => {
    const [port, grpcPort] = [await freePort(), await freePort()];
    child = spawn(process.execPath, ["--import", "tsx", stackScript], {
      env: {
        ...process.env,
        SKIP_WEB_BUILD: "1",
        WEB_ROOT: webRoot,
        LOG_LEVEL: "warn",
        PORT: String(port),
        GRPC_PORT: String(grpcPort),
        TLS_CERT: certs.certPath,
        TLS_KEY: certs.keyPath,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    const collect = (chunk: Buffer): void => {
      output += chunk.toString();
    };
    child.stdout?.on("data", collect);
    child.stderr?.on("data", collect);
    await waitFor(() => output, `Teams is up: https://localhost:${port}`, child);

    const session = http2.connect(`https://127.0.0.1:${port}`, { ca: certs.caCert });
    try {
      const result = await callGrpcWebH2(session, "/Teams/GetTeam", [
        new TeamRequest({ city: "Chicago" }).serialize(),
      ]);
      assert.equal(result.status, 0, result.message);
      assert.equal(TeamResponse.deserialize(result.messages[0] as Buffer).nickname, "Jackals");
      assert.equal(result.headers["strict-transport-security"], "max-age=31536000");
    } finally {
      session.close();
    }

    const exited = once(child, "exit");
    child.kill("SIGTERM");
    const [code] = (await exited) as [number | null];
    assert.equal(code, 0, output);
  });
});
