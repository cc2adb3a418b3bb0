import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { readConfig } from "../src/config.ts";

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
    });
    assert.deepEqual(
      { ...config, tls: undefined },
      {
        port: 6000,
        host: "::",
        teams: "/data/teams.json",
        logLevel: "debug",
        logFormat: "json",
        drainTimeoutMs: 500,
        maxMessageBytes: 1_048_576,
        keepaliveTimeMs: 5000,
        maxConnectionAgeMs: 60_000,
        maxConnectionAgeGraceMs: 1000,
        tls: undefined,
      },
    );
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
