// docker-compose.yml and the Dockerfiles, checked without a Docker engine.

import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { parse } from "yaml";
import {
  type ComposeFile,
  checkComposeFile,
  checkDockerfile,
  dockerfileStages,
} from "../src/compose-checks.ts";
import { composeConfig } from "../src/compose-config.ts";
import { readRepoFile, readYaml, repoPath } from "../src/stack-files.ts";

describe("docker-compose.yml", () => {
  it("is accepted by docker-compose config", async () => {
    const normalized = parse(
      await composeConfig(repoPath("docker-compose.yml"), repoPath("")),
    ) as ComposeFile;
    // docker-compose 1.x lists the observability profile's services too.
    assert.deepEqual(Object.keys(normalized.services ?? {}).sort(), [
      "envoy",
      "grafana",
      "postgres",
      "prometheus",
      "server",
      "web",
    ]);
  });

  it("is refused by docker-compose config when broken, with its reason", async () => {
    const dir = await mkdtemp(join(tmpdir(), "teams-compose-"));
    try {
      const broken = readRepoFile("docker-compose.yml").replace(
        "    healthcheck:",
        "    healthchek:",
      );
      await writeFile(join(dir, "docker-compose.yml"), broken);
      await assert.rejects(composeConfig(join(dir, "docker-compose.yml"), dir), /healthchek/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("keeps --scale possible, health-checks every service and pins Envoy", () => {
    assert.deepEqual(checkComposeFile(readYaml("docker-compose.yml") as ComposeFile), []);
  });

  it("flags a published server port, a container_name and a missing health check", () => {
    const compose = readYaml("docker-compose.yml") as ComposeFile;
    const services = compose.services ?? {};
    assert.ok(services.server && services.web && services.envoy);
    services.server.ports = ["50051:50051"];
    services.server.container_name = "teams-server";
    delete services.web.healthcheck;
    services.envoy.image = "envoyproxy/envoy:latest";
    const problems = checkComposeFile(compose).join("\n");
    assert.match(problems, /services\.server\.ports: only envoy publishes host ports/);
    assert.match(problems, /services\.server\.container_name: remove it/);
    assert.match(problems, /services\.web\.healthcheck: every service needs a health check/);
    assert.match(problems, /services\.envoy\.image: pin an Envoy release/);
  });

  it("runs the server health probe from where server/Dockerfile copies it", () => {
    const compose = readYaml("docker-compose.yml") as ComposeFile;
    const test = compose.services?.server?.healthcheck?.test;
    assert.ok(Array.isArray(test));
    assert.deepEqual(test.slice(0, 3), ["CMD", "node", "deploy/dist/grpc-health-probe.js"]);
    assert.match(
      readRepoFile("server/Dockerfile"),
      /^COPY --from=build \/app\/deploy\/dist\/grpc-health-probe\.js deploy\/dist\/$/m,
    );
  });
});

// deploy/README.md's "Production with Envoy" section (the landing README links to it).
for (const readmePath of ["deploy/README.md"]) {
  describe(readmePath, () => {
    it("shows exactly the Docker commands that npm run test:compose runs", () => {
      const readme = readRepoFile(readmePath);
      const script = readRepoFile("deploy/scripts/test-compose.sh");
      const blocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => match[1] ?? "");
      const commands = blocks
        .flatMap((block) => block.split("\n"))
        .map((line) => line.replace(/\s+#.*$/, "").trim())
        .filter((line) => line.startsWith("docker compose"));
      assert.deepEqual(commands, [
        "docker compose up -d --build --wait",
        "docker compose up -d --scale server=3 --wait",
        "docker compose logs server",
        "docker compose down -v",
      ]);
      for (const command of commands)
        assert.ok(script.includes(command), `test-compose.sh runs ${command}`);
    });
  });
}

describe("Dockerfiles", () => {
  for (const path of ["server/Dockerfile", "web/Dockerfile"]) {
    it(`${path} is multi-stage, pinned and runs as non-root`, () => {
      assert.deepEqual(checkDockerfile(path, readRepoFile(path)), []);
    });
  }

  it("server/Dockerfile installs only the server's production dependencies from the root lock", () => {
    const text = readRepoFile("server/Dockerfile");
    assert.match(text, /COPY package\.json package-lock\.json/);
    assert.match(text, /npm ci --omit=dev -w server/);
  });

  it("flags an unpinned base, a single stage and a root user", () => {
    const problems = checkDockerfile(
      "x/Dockerfile",
      'FROM node:latest\nRUN npm ci\nCMD ["node"]\n',
    ).join("\n");
    assert.match(problems, /multi-stage/);
    assert.match(problems, /pin base image "node:latest"/);
    assert.match(problems, /non-root USER/);
  });

  it("resolves ARG defaults in FROM lines", () => {
    const dockerfile =
      "ARG BASE=node:24.11-bookworm-slim\nFROM $BASE AS deps\nFROM deps\nUSER node\n";
    const stages = dockerfileStages(dockerfile);
    assert.deepEqual(
      stages.map((stage) => stage.image),
      ["node:24.11-bookworm-slim", "deps"],
    );
  });

  it(".dockerignore keeps node_modules and build output out of the context", () => {
    const ignored = readRepoFile(".dockerignore").split("\n");
    assert.ok(ignored.includes("**/node_modules"));
    assert.ok(ignored.includes("**/dist"));
  });
});
