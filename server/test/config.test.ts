import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { readConfig } from "../src/config.ts";
import { defaultDataDir } from "../src/store/data-dir.ts";

describe("readConfig", () => {
  it("defaults to port 50051 on all interfaces, info logs, 10 s drain, 4 MiB messages, plaintext", () => {
    const config = readConfig({});
    assert.equal(config.port, 50051);
    assert.equal(config.host, "0.0.0.0");
    assert.equal(config.logLevel, "info");
    assert.equal(config.drainTimeoutMs, 10_000);
    assert.equal(config.maxMessageBytes, 4 * 1024 * 1024);
    assert.equal(config.teams, undefined);
    assert.equal(config.tls, undefined);
  });

  it("reads every variable it documents", () => {
    const config = readConfig({
      GRPC_PORT: "6000",
      HOST: "::",
      TEAMS_FILE: "/data/teams.json",
      LOG_LEVEL: "DEBUG",
      LOG_FORMAT: "JSON",
      DRAIN_TIMEOUT_MS: "500",
      MAX_MESSAGE_BYTES: "1048576",
      KEEPALIVE_TIME_MS: "5000",
      MAX_CONNECTION_AGE_MS: "60000",
      MAX_CONNECTION_AGE_GRACE_MS: "1000",
      DATA_DIR: "/var/lib/teams",
      DATABASE_URL: "postgres://teams:secret@db:5432/teams",
    });
    assert.deepEqual(
      { ...config, tls: undefined, watch: undefined, auth: undefined },
      {
        port: 6000,
        host: "::",
        teams: "/data/teams.json",
        storage: {
          dataDir: "/var/lib/teams",
          databaseUrl: "postgres://teams:secret@db:5432/teams",
        },
        logLevel: "debug",
        logFormat: "json",
        drainTimeoutMs: 500,
        maxMessageBytes: 1_048_576,
        keepaliveTimeMs: 5000,
        maxConnectionAgeMs: 60_000,
        maxConnectionAgeGraceMs: 1000,
        tls: undefined,
        watch: undefined,
        auth: undefined,
      },
    );
  });

  it("reads the WatchTeams settings, defaulting to a 30 s heartbeat and a 5 min maximum age", () => {
    assert.deepEqual(readConfig({}).watch, {
      heartbeatMs: 30_000,
      maxAgeMs: 300_000,
      queueLimit: 10_000,
      pollMs: 0,
    });
    const env = {
      WATCH_HEARTBEAT_MS: "1000",
      WATCH_MAX_AGE_MS: "60000",
      WATCH_QUEUE_LIMIT: "50",
      WATCH_POLL_MS: "250",
    };
    assert.deepEqual(readConfig(env).watch, {
      heartbeatMs: 1000,
      maxAgeMs: 60_000,
      queueLimit: 50,
      pollMs: 250,
    });
    assert.throws(() => readConfig({ WATCH_HEARTBEAT_MS: "soon" }), {
      message: 'WATCH_HEARTBEAT_MS must be a whole number from 10 to 2147483647, got "soon"',
    });
  });

  it("keeps the SQLite file in data/ at the repository root unless DATA_DIR says otherwise", () => {
    assert.deepEqual(readConfig({}).storage, { dataDir: defaultDataDir, databaseUrl: undefined });
    assert.match(defaultDataDir, /\/data\/$/);
    assert.ok(!defaultDataDir.includes("/server/"), defaultDataDir);
  });

  it("refuses a DATABASE_URL that is not PostgreSQL's without echoing it", () => {
    assert.throws(() => readConfig({ DATABASE_URL: "mysql://root:hunter2@db/teams" }), {
      message: "DATABASE_URL must be a postgres:// or postgresql:// URL",
    });
  });

  it("names the variable and the rule when a value is bad", () => {
    assert.throws(() => readConfig({ GRPC_PORT: "70000" }), {
      message: 'GRPC_PORT must be a whole number from 0 to 65535, got "70000"',
    });
    assert.throws(() => readConfig({ LOG_LEVEL: "loud" }), {
      message: 'LOG_LEVEL must be one of debug|info|warn|error|silent, got "loud"',
    });
    assert.throws(() => readConfig({ LOG_FORMAT: "xml" }), {
      message: 'LOG_FORMAT must be one of json|pretty, got "xml"',
    });
    assert.throws(
      () => readConfig({ TLS_CERT: "/x.crt" }),
      /TLS_CERT and TLS_KEY must be set together/,
    );
    assert.throws(
      () => readConfig({ TLS_CERT: "/nope.crt", TLS_KEY: "/nope.key" }),
      /^ConfigError: TLS_CERT: cannot read \/nope\.crt/,
    );
  });
});
