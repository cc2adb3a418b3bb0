// SupervisedServer (src/supervised-server.ts) with a stand-in server that listens and then
// exits 0 at once, again and again: each exit is one log line, the restart delay doubles
// up to its cap, and stop() ends the loop.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import type { LogFields, Logger } from "../src/logger.ts";
import { SupervisedServer, serverCommand } from "../src/supervised-server.ts";
import { freePort } from "./support/free-port.ts";
import { until } from "./support/stack-process.ts";

// A repository whose built server (the production entry) says it listens, then exits 0.
const repo = mkdtempSync(join(tmpdir(), "supervised-"));
mkdirSync(join(repo, "server/dist"), { recursive: true });
writeFileSync(
  join(repo, "server/dist/main.js"),
  `process.stdout.write(JSON.stringify({ msg: "listening", port: Number(process.env.GRPC_PORT) }) + "\\n", () => process.exit(0));`,
);
after(() => rmSync(repo, { recursive: true, force: true }));

function recordingLogger(): { logger: Logger; restarts: LogFields[] } {
  const restarts: LogFields[] = [];
  const ignore = (): void => {};
  return {
    restarts,
    logger: {
      debug: ignore,
      info: ignore,
      error: ignore,
      warn: (msg, fields = {}) => {
        if (msg === "server exited; restarting") restarts.push(fields);
      },
    },
  };
}

describe("SupervisedServer", { timeout: 60_000 }, () => {
  it("runs the built server under NODE_ENV=production, the TypeScript otherwise", () => {
    assert.deepEqual(serverCommand(repo, { NODE_ENV: "production" }), [
      join(repo, "server/dist/main.js"),
    ]);
    assert.deepEqual(serverCommand(repo, {}), [
      "--import",
      "tsx",
      join(repo, "server/src/main.ts"),
    ]);
  });

  it("restarts a server that exits 0 on its own, one line each, backing off up to the cap", async () => {
    const { logger, restarts } = recordingLogger();
    const server = new SupervisedServer({
      repo,
      port: await freePort(),
      env: { ...process.env, NODE_ENV: "production" },
      logger,
      onLogLine: () => {},
      backoffMs: 20,
      maxBackoffMs: 80,
    });
    await server.start();
    await until(() => restarts.length >= 5, "five restarts");
    await server.stop();
    assert.deepEqual(
      restarts.slice(0, 5).map((fields) => [fields.restart, fields.exit, fields.inMs]),
      [
        [1, 0, 20],
        [2, 0, 40],
        [3, 0, 80],
        [4, 0, 80],
        [5, 0, 80],
      ],
    );
  });
});
