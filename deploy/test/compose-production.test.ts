// docker-compose.yml's production rules (PostgreSQL, DATABASE_URL, one read-only JWKS file,
// read-only root filesystems), on the real file and on broken copies.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ComposeFile } from "../src/compose-checks.ts";
import { checkComposeProduction } from "../src/compose-production-checks.ts";
import { readYaml } from "../src/stack-files.ts";

const compose = () => readYaml("docker-compose.yml") as ComposeFile;
const envoyConfig = readYaml("envoy.yaml");

describe("docker-compose.yml in production", () => {
  it("runs PostgreSQL pinned, on a named volume, with its password from .env", () => {
    assert.deepEqual(checkComposeProduction(compose(), envoyConfig), []);
  });

  it("flags an unpinned image, a bind-mounted data folder, a literal password, no pg_isready", () => {
    const broken = compose();
    const postgres = broken.services?.postgres;
    assert.ok(postgres);
    postgres.image = "postgres:17";
    postgres.volumes = ["./pgdata:/var/lib/postgresql/data"];
    postgres.environment = { POSTGRES_PASSWORD: "secret" };
    postgres.healthcheck = { test: ["CMD", "true"] };
    const problems = checkComposeProduction(broken, envoyConfig).join("\n");
    assert.match(problems, /postgres\.image: pin the official image to major\.minor/);
    assert.match(problems, /keep \/var\/lib\/postgresql\/data on a named volume/);
    assert.match(problems, /POSTGRES_PASSWORD: take it from \.env/);
    assert.match(problems, /healthcheck: use pg_isready/);
  });

  it("flags a JWKS Envoy reads but Compose does not mount, and a writable server", () => {
    const broken = compose();
    assert.ok(broken.services?.server);
    broken.services.server.read_only = false;
    const withJwtAuthn = {
      filters: [{ providers: { teams: { local_jwks: { filename: "/etc/envoy/jwks.json" } } } }],
    };
    const problems = checkComposeProduction(broken, withJwtAuthn).join("\n");
    assert.match(problems, /services\.envoy\.volumes: mount the JWKS \/etc\/envoy\/jwks\.json/);
    assert.match(problems, /services\.server\.read_only/);
  });

  it("flags a server without its DATABASE_URL on the postgres service", () => {
    const broken = compose();
    assert.ok(broken.services?.server);
    broken.services.server.environment = { AUTH_JWKS_FILE: "/etc/teams/jwks/jwks.json" };
    assert.match(
      checkComposeProduction(broken, envoyConfig).join("\n"),
      /DATABASE_URL: must point at the postgres service/,
    );
  });
});
