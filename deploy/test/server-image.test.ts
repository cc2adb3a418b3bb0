// server/Dockerfile without an engine: its stages assembled and run as written (npm ci, the
// build, production dependencies only), then its CMD started with docker-compose.yml's
// environment as an unprivileged user against a real database; Compose's health check command
// must pass and GetTeam must answer. A forgotten file or a missing run-time dependency fails.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { environmentOf } from "../src/compose-checks.ts";
import { resolvedCompose } from "../src/compose-config.ts";
import type { AssembledImage } from "../src/image-assembly.ts";
import { containerIds, execInContainer, startContainer } from "../src/image-run.ts";
import { freePort } from "../src/nginx-run.ts";
import { readRepoFile, readYaml, repoPath } from "../src/stack-files.ts";
import { teamsClient, unary } from "../src/teams-grpc-client.ts";
import { type ImageWorkspace, imageWorkspace } from "./support/image-workspace.ts";
import { type ServerDatabase, serverDatabase } from "./support/server-database.ts";

const run = promisify(execFile);

// The Dockerfile compiles the server with its `npm run build`; until that exists there is no
// image to run (said in the test output, never passed silently).
const serverScripts = (
  JSON.parse(readRepoFile("server/package.json")) as { scripts?: Record<string, string> }
).scripts;
const skip = serverScripts?.build
  ? false
  : "server/package.json has no build script: no compiled server to put in the image yet";

describe("server/Dockerfile, assembled and run", { timeout: 1_800_000, skip }, () => {
  let workspace: ImageWorkspace;
  let image: AssembledImage;
  let database: ServerDatabase;
  let jwksDir = "";
  let composeEnv: Record<string, string> = {};
  let healthCheck: string[] = [];

  before(async () => {
    workspace = await imageWorkspace("server");
    image = await workspace.assemble("server/Dockerfile");
    database = await serverDatabase(await containerIds(image));
    // The JWKS Compose mounts at AUTH_JWKS_FILE, made as the README says.
    jwksDir = await mkdtemp(join(tmpdir(), "teams-image-jwks-"));
    await chmod(jwksDir, 0o755);
    await run(process.execPath, [
      "--import",
      "tsx",
      repoPath("deploy/scripts/dev-token.ts"),
      "--dir",
      jwksDir,
    ]);
    const compose = await resolvedCompose(repoPath("docker-compose.yml"), repoPath(""));
    const server = compose.services?.server;
    assert.ok(server, "docker-compose.yml has a server service");
    composeEnv = environmentOf(server);
    const test = server.healthcheck?.test;
    assert.ok(Array.isArray(test) && test[0] === "CMD", "the server's health check is a CMD");
    healthCheck = test.slice(1);
  });
  after(async () => {
    await database?.destroy();
    await rm(jwksDir, { recursive: true, force: true });
    await workspace?.remove();
  });

  /** Compose's environment, with this machine's port, database and mounted JWKS. */
  function environment(port: number): Record<string, string> {
    const env: Record<string, string> = {
      ...composeEnv,
      GRPC_PORT: String(port),
      HOST: "127.0.0.1",
      ...database.env,
    };
    // Compose gives each container a network of its own; here a fixed metrics port (9464)
    // could be held by another test's process, so metrics take a free one on loopback.
    if (env.METRICS_PORT) Object.assign(env, { METRICS_PORT: "0", METRICS_HOST: "127.0.0.1" });
    if (env.AUTH_JWKS_FILE) env.AUTH_JWKS_FILE = join(jwksDir, "jwks.json");
    return Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ""));
  }

  it("runs compiled JavaScript as a non-root user", () => {
    assert.equal(image.cmd?.[0], "node");
    assert.ok(!image.cmd?.some((arg) => /tsx|\.ts$/.test(arg)), `CMD ${image.cmd?.join(" ")}`);
    assert.ok(
      !healthCheck.some((arg) => /tsx|\.ts$/.test(arg)),
      "the health check loads no TypeScript",
    );
    assert.ok(image.user && image.user !== "root", `USER ${image.user}`);
  });

  it("answers Compose's health check and GetTeam from the database", async () => {
    const port = await freePort();
    const server = await startContainer(image, environment(port), port);
    try {
      const probe = healthCheck.map((arg) => arg.replace(/:50051$/, `:${port}`));
      const health = await execInContainer(image, probe);
      assert.equal(health.code, 0, health.output);
      const client = teamsClient(`127.0.0.1:${port}`);
      try {
        const team = await unary(client, "GetTeam", { city: "Chicago" });
        const seed = JSON.parse(readRepoFile("server/data/teams.json")) as Array<{
          city: string;
          nickname: string;
        }>;
        const chicago = seed.find((entry) => entry.city === "Chicago");
        assert.deepEqual([team.found, team.nickname], [true, chicago?.nickname]);
      } finally {
        client.close();
      }
    } finally {
      assert.equal(await server.stop(), 0, server.output());
    }
  });

  it("runs the Kubernetes migration Job's command to completion", async () => {
    const job = readYaml("deploy/kubernetes/base/migrate-job.yaml") as {
      spec: { template: { spec: { containers: Array<{ command: string[]; args: string[] }> } } };
    };
    const container = job.spec.template.spec.containers[0];
    assert.ok(container);
    const migrate = await execInContainer(
      image,
      [...container.command, ...container.args],
      environment(await freePort()),
    );
    assert.equal(migrate.code, 0, migrate.output);
    assert.match(migrate.output, /health of "Teams" at 127\.0\.0\.1:\d+: SERVING/);
  });

  async function startBroken(edit: (dockerfile: string) => string): Promise<Error> {
    const broken = await workspace.assemble("server/Dockerfile", edit);
    const port = await freePort();
    const error = await startContainer(broken, environment(port), port).then(
      async (server) => {
        await server.stop();
        return new Error("the broken image started");
      },
      (failure: Error) => failure,
    );
    return error;
  }

  it("fails when the Dockerfile forgets a file the server reads (proto/)", async () => {
    // The final stage's copy (the build stage has its own).
    const error = await startBroken((text) => {
      const at = text.lastIndexOf("\nCOPY proto proto\n");
      return text.slice(0, at) + text.slice(at + "\nCOPY proto proto".length);
    });
    assert.match(error.message, /exited before it listened[\s\S]*proto/);
  });

  it("fails when a package the server imports is not a production dependency of it", async () => {
    // As if the server's run-time packages were dev-only: production installs of another workspace.
    const error = await startBroken((text) =>
      text.replace("npm ci --omit=dev -w server", "npm ci --omit=dev -w web"),
    );
    assert.match(error.message, /exited before it listened[\s\S]*Cannot find (package|module)/);
  });
});
