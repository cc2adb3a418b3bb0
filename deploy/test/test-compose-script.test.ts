// deploy/scripts/test-compose.sh, run for real with a stand-in `docker` on PATH (no engine
// here): the order of Docker commands, the smoke checks against a real gRPC-Web endpoint (the
// Node gateway in front of the real server), teardown on failure, and the no-engine exit.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { repoPath } from "../src/stack-files.ts";
import {
  type Gateway,
  type RunningServer,
  startNodeGateway,
  startTeamsServer,
} from "./support/node-stack.ts";
import { type StandIn, startTeamsStandIn } from "./support/teams-standin.ts";

const run = promisify(execFile);

// Logs each call; `docker info` fails when FAKE_DOCKER_NO_ENGINE=1; `compose logs server`
// answers as replicas would: GetTeam on two, and the test city written on one, read on another.
const fakeDocker = `#!/usr/bin/env bash
echo "$*" >> "$FAKE_DOCKER_LOG"
case "$*" in
  info) [[ "\${FAKE_DOCKER_NO_ENGINE:-}" == 1 ]] && exit 1 ;;
  "compose logs server")
    echo 'server-1  | {"level":"info","msg":"call","method":"/Teams/GetTeam","code":"OK"}'
    echo 'server-2  | {"level":"info","msg":"call","method":"/Teams/GetTeam","code":"OK"}'
    echo "server-1  | {"method":"/Teams/PutTeam","city":"$TEST_COMPOSE_CITY"}"
    echo "server-\${FAKE_READER:-2}  | {"method":"/Teams/GetTeam","city":"$TEST_COMPOSE_CITY"}" ;;
esac
exit 0
`;

describe("npm run test:compose (deploy/scripts/test-compose.sh)", { timeout: 240_000 }, () => {
  let dir: string;
  let server: RunningServer;
  let gateway: Gateway;
  let deadGateway: Gateway;
  let replicas: StandIn;
  let forgetfulReplicas: StandIn;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "teams-test-compose-"));
    await writeFile(join(dir, "docker"), fakeDocker);
    await chmod(join(dir, "docker"), 0o755);
    await writeFile(
      join(dir, "index.html"),
      "<!doctype html><script type=module src=/app.js></script>",
    );
    server = await startTeamsServer();
    gateway = await startNodeGateway({ upstream: `127.0.0.1:${server.port}`, webRoot: dir });
    deadGateway = await startNodeGateway({ upstream: "127.0.0.1:9", webRoot: dir });
    replicas = await startTeamsStandIn();
    forgetfulReplicas = await startTeamsStandIn({ loseWrites: true });
  });

  after(async () => {
    await gateway?.close();
    await deadGateway?.close();
    server?.forceShutdown();
    replicas?.close();
    forgetfulReplicas?.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function runScript(
    env: Record<string, string>,
  ): Promise<{ code: number; output: string; docker: string[] }> {
    const log = join(dir, `docker-${Date.now()}-${Math.random()}.log`);
    await writeFile(log, "");
    const options = {
      cwd: repoPath(""),
      env: {
        ...process.env,
        PATH: `${dir}:${process.env.PATH}`,
        FAKE_DOCKER_LOG: log,
        SKIP_E2E: "1",
        POSTGRES_PASSWORD: "test",
        TEST_COMPOSE_CITY: "Compose Test City",
        ...env,
      },
    };
    let code = 0;
    let output = "";
    try {
      const result = await run("bash", [repoPath("deploy/scripts/test-compose.sh")], options);
      output = result.stdout + result.stderr;
    } catch (error) {
      const failed = error as { code?: number; stdout?: string; stderr?: string };
      code = failed.code ?? -1;
      output = (failed.stdout ?? "") + (failed.stderr ?? "");
    }
    const docker = (await readFile(log, "utf8")).split("\n").filter(Boolean);
    return { code, output, docker };
  }

  it("builds, smoke-tests, scales, sees calls on two replicas, and tears down", async () => {
    const { code, output, docker } = await runScript({
      TEAMS_HTTP_PORT: String(gateway.port),
      TEAMS_GRPC_PORT: String(replicas.port),
    });
    assert.equal(code, 0, output);
    assert.deepEqual(docker, [
      "info",
      "compose version",
      "compose run --rm --no-deps envoy envoy --mode validate -c /etc/envoy/envoy.yaml",
      "compose up -d --build --wait",
      "compose up -d --scale server=3 --wait",
      "compose logs server",
      "compose logs server",
      "compose down -v",
    ]);
    assert.match(output, /ok {3}WatchTeams sees the write once: put at version 1/);
    assert.match(output, /written by server-1, read back by 1 other replica\(s\)/);
    assert.match(output, /9 passed, 0 failed/);
    assert.match(output, /GetTeam calls logged by 2 replica\(s\)/);
    assert.match(output, /test:compose: passed \(calls answered by 2 replicas\)/);
  });

  it("fails when a write is not read back, or only by the replica that wrote it", async () => {
    const lost = await runScript({
      TEAMS_HTTP_PORT: String(gateway.port),
      TEAMS_GRPC_PORT: String(forgetfulReplicas.port),
    });
    assert.notEqual(lost.code, 0);
    assert.match(lost.output, /FAIL GetTeam Compose Test City x6: call 1 answered not found/);
    assert.equal(lost.docker.at(-1), "compose down -v");
    const sameReplica = await runScript({
      TEAMS_HTTP_PORT: String(gateway.port),
      TEAMS_GRPC_PORT: String(replicas.port),
      FAKE_READER: "1",
    });
    assert.notEqual(sameReplica.code, 0);
    assert.match(sameReplica.output, /no replica other than the writer \(server-1\) read/);
  });

  it("fails when the smoke checks fail, and still tears the stack down", async () => {
    const { code, output, docker } = await runScript({ TEAMS_HTTP_PORT: String(deadGateway.port) });
    assert.notEqual(code, 0);
    assert.match(output, /FAIL GetTeam Chicago, binary gRPC-Web/);
    assert.equal(docker.at(-1), "compose down -v");
  });

  it("says there is no Docker engine and exits 0 without starting anything", async () => {
    const { code, output, docker } = await runScript({ FAKE_DOCKER_NO_ENGINE: "1" });
    assert.equal(code, 0);
    assert.match(output, /no Docker engine here/);
    assert.deepEqual(docker, ["info"]);
  });
});
