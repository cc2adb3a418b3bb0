// The upstream pool's settings from the environment, checked at start with messages that
// name the variable and say what to fix.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { gatewayOptionsFromEnv } from "../../src/config.ts";

describe("upstream pool settings", () => {
  it("takes UPSTREAM as a comma-separated list of host:port, names included", () => {
    const upstream = "127.0.0.1:50051, teams.internal:50051,[::1]:50052";
    assert.equal(gatewayOptionsFromEnv({ UPSTREAM: upstream }).upstream, upstream);
  });

  it("rejects a malformed entry, naming it", () => {
    assert.throws(
      () => gatewayOptionsFromEnv({ UPSTREAM: "127.0.0.1:50051,50052" }),
      /^Error: UPSTREAM: expected host:port of a gRPC server, or several separated by commas, .*got "50052"$/,
    );
  });

  it("reads the health, DNS and idle-stream settings", () => {
    const options = gatewayOptionsFromEnv({
      UPSTREAM_DNS_REFRESH_MS: "1000",
      UPSTREAM_HEALTH_INTERVAL_MS: "2000",
      UPSTREAM_HEALTH_SERVICE: "",
      STREAM_IDLE_TIMEOUT_MS: "60000",
    });
    assert.equal(options.upstreamDnsRefreshMs, 1000);
    assert.equal(options.upstreamHealthIntervalMs, 2000);
    assert.equal(options.upstreamHealthService, "");
    assert.equal(options.streamIdleTimeoutMs, 60000);
    assert.throws(
      () => gatewayOptionsFromEnv({ UPSTREAM_HEALTH_SERVICE: "Teams; rm" }),
      /UPSTREAM_HEALTH_SERVICE: expected a gRPC service name/,
    );
    assert.throws(
      () => gatewayOptionsFromEnv({ STREAM_IDLE_TIMEOUT_MS: "5m" }),
      /STREAM_IDLE_TIMEOUT_MS: expected a positive whole number of milliseconds/,
    );
  });

  it("reads UPSTREAM_STREAM_WINDOW_BYTES, no smaller than HTTP/2's initial window", () => {
    const options = gatewayOptionsFromEnv({ UPSTREAM_STREAM_WINDOW_BYTES: "262144" });
    assert.equal(options.upstreamStreamWindowBytes, 262144);
    assert.throws(
      () => gatewayOptionsFromEnv({ UPSTREAM_STREAM_WINDOW_BYTES: "1024" }),
      /^Error: UPSTREAM_STREAM_WINDOW_BYTES: expected at least 65535 \(HTTP\/2's initial window\), got 1024$/,
    );
    assert.throws(
      () => gatewayOptionsFromEnv({ UPSTREAM_STREAM_WINDOW_BYTES: "64k" }),
      /UPSTREAM_STREAM_WINDOW_BYTES: expected a positive whole number of bytes, got "64k"/,
    );
  });
});
