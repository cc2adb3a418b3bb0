// `npm start` keeps its servers running and never leaves one behind: a server that exits
// on its own is restarted (one log line) while the page stays up; killing the stack or
// npm itself, even with SIGKILL, frees every port; Ctrl-C exits 0 with no npm error;
// REPLICAS=N starts N servers; in a terminal each call is one readable line.
import assert from "node:assert/strict";
import { once } from "node:events";
import { after, describe, it } from "node:test";
import { TeamRequest, TeamResponse } from "@teams/web/gen";
import { portAccepts } from "../src/port-accepts.ts";
import { freePort } from "./support/free-port.ts";
import { callGrpcWeb } from "./support/grpc-web-request.ts";
import { childPids, killStacks, runStack, tinyWebRoot, until } from "./support/stack-process.ts";

const webRoot = tinyWebRoot();
after(() => {
  killStacks();
  webRoot.cleanup();
});

async function ports(): Promise<{ PORT: string; GRPC_PORT: string; WEB_ROOT: string }> {
  const [port, grpcPort] = [await freePort(), await freePort()];
  return { PORT: String(port), GRPC_PORT: String(grpcPort), WEB_ROOT: webRoot.dir };
}

async function getTeam(
  port: string,
  city = "Chicago",
): Promise<{ status: number; nickname?: string }> {
  const result = await callGrpcWeb(`http://127.0.0.1:${port}`, "/Teams/GetTeam", [
    new TeamRequest({ city }).serialize(),
  ]);
  const message = result.messages[0];
  return {
    status: result.status,
    nickname: message ? TeamResponse.deserialize(message).nickname : undefined,
  };
}

async function pageStatus(port: string): Promise<number> {
  return (await fetch(`http://127.0.0.1:${port}/`)).status;
}

/** The server processes of a stack started with node directly (its children). */
function serverPids(stackPid: number): number[] {
  return childPids(stackPid, "server/");
}

describe("npm start supervises its servers", { timeout: 120_000 }, () => {
  it("restarts a server that exits with code 0 on its own, logs it once, and keeps the page up", async () => {
    const env = await ports();
    const stack = runStack(env);
    await stack.waitFor("Teams is up");
    const [server] = serverPids(stack.child.pid as number);
    assert.ok(server, "the stack runs one server child");
    // SIGTERM straight to the server: it drains and exits 0, which the stack did not ask for.
    process.kill(server, "SIGTERM");
    await until(async () => !(await portAccepts(Number(env.GRPC_PORT))), "the server is down");
    assert.equal(await pageStatus(env.PORT), 200, "the page is still served");
    await stack.waitFor("server exited; restarting");
    await until(
      async () => (await getTeam(env.PORT)).status === 0,
      "calls work again through the same gateway",
    );
    assert.equal((await getTeam(env.PORT)).nickname, "Jackals");
    assert.equal(stack.output().match(/server exited; restarting/g)?.length, 1, stack.output());
    assert.notEqual(serverPids(stack.child.pid as number)[0], server, "a new server process");

    const exited = once(stack.child, "exit");
    stack.child.kill("SIGTERM");
    assert.deepEqual(await exited, [0, null]);
  });

  it("answers UNAVAILABLE, not a dead page, while its server is down", async () => {
    const env = { ...(await ports()), UPSTREAM_RETRY_MS: "1" };
    const stack = runStack(env);
    await stack.waitFor("Teams is up");
    const [server] = serverPids(stack.child.pid as number);
    process.kill(server as number, "SIGKILL");
    // Until the restarted server listens (its start takes longer than the first backoff).
    await until(async () => (await getTeam(env.PORT)).status === 14, "a call answered UNAVAILABLE");
    assert.equal(await pageStatus(env.PORT), 200);
    await stack.waitFor("server exited; restarting");
    stack.child.kill("SIGTERM");
    await once(stack.child, "exit");
  });

  it("SIGKILL of the real npm start process frees the gateway's and the server's ports", async () => {
    const env = await ports();
    const stack = runStack(env, "npm start");
    await stack.waitFor("Teams is up");
    assert.equal(await portAccepts(Number(env.GRPC_PORT)), true);
    process.kill(stack.child.pid as number, "SIGKILL");
    await until(async () => !(await portAccepts(Number(env.GRPC_PORT))), "server port free");
    await until(async () => !(await portAccepts(Number(env.PORT))), "gateway port free");
  });

  it("SIGKILL of the stack process: its server notices and drains and exits", async () => {
    const env = await ports();
    const stack = runStack(env);
    await stack.waitFor("Teams is up");
    process.kill(stack.child.pid as number, "SIGKILL");
    await until(async () => !(await portAccepts(Number(env.GRPC_PORT))), "server port free");
  });

  it("Ctrl-C on npm start stops everything with exit 0 and no npm error block", async () => {
    const env = await ports();
    const stack = runStack(env, "npm start");
    await stack.waitFor("Teams is up");
    const exited = once(stack.child, "exit");
    process.kill(-(stack.child.pid as number), "SIGINT"); // the terminal signals the whole group
    assert.deepEqual(await exited, [0, null], stack.output());
    assert.doesNotMatch(stack.output(), /npm (error|ERR!)/);
    assert.equal(await portAccepts(Number(env.GRPC_PORT)), false);
  });

  it("REPLICAS=2 starts servers on GRPC_PORT and GRPC_PORT+1 and gives the gateway both", async () => {
    const env = { ...(await ports()), REPLICAS: "2", LOG_LEVEL: "info", LOG_FORMAT: "json" };
    const second = Number(env.GRPC_PORT) + 1;
    const stack = runStack(env);
    await stack.waitFor("Teams is up");
    assert.equal(await portAccepts(second), true);
    assert.equal(serverPids(stack.child.pid as number).length, 2);
    assert.ok(
      stack.output().includes(`"upstream":"127.0.0.1:${env.GRPC_PORT},127.0.0.1:${second}"`),
      stack.output(),
    );
    stack.child.kill("SIGTERM");
    await once(stack.child, "exit");
    assert.equal(await portAccepts(second), false);
  });

  it("refuses a REPLICAS value it cannot use, naming the variable", async () => {
    const stack = runStack({ ...(await ports()), REPLICAS: "0" });
    const [code] = (await once(stack.child, "exit")) as [number | null];
    assert.equal(code, 1);
    assert.match(stack.output(), /REPLICAS must be a whole number from 1 to 32, got "0"/);
  });

  it("in a terminal, prints one readable line per call instead of JSON", async () => {
    const env = { ...(await ports()), LOG_LEVEL: "info" };
    const stack = runStack(env, "terminal");
    await stack.waitFor("Teams is up");
    for (const city of ["Chicago", "Boston", "Denver"]) {
      assert.equal((await getTeam(env.PORT, city)).status, 0);
    }
    await until(
      () => (stack.output().match(/path=\/Teams\/GetTeam/g)?.length ?? 0) === 3,
      "three call lines",
    );
    const lines = stack.output().split(/\r?\n/);
    assert.equal(lines.filter((line) => line.includes("/Teams/GetTeam")).length, 3, stack.output());
    assert.equal(lines.filter((line) => line.trimStart().startsWith("{")).length, 0);
    stack.child.kill("SIGTERM"); // script passes it on; the stack drains and exits
    await once(stack.child, "exit");
  });
});
