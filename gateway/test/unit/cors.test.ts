import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  allowedRequestHeaders,
  exposedResponseHeaders,
  isOriginAllowed,
  parseCorsOrigins,
} from "../../src/cors.ts";

describe("isOriginAllowed", () => {
  const defaults = parseCorsOrigins();

  it("allows local dev servers on any port by default", () => {
    assert.ok(isOriginAllowed(defaults, "http://localhost:5173", "gw:8080"));
    assert.ok(isOriginAllowed(defaults, "http://127.0.0.1:3000", "gw:8080"));
    assert.ok(!isOriginAllowed(defaults, "https://localhost:5173", "gw:8080"));
    assert.ok(!isOriginAllowed(defaults, "http://localhost.evil.example", "gw:8080"));
  });

  it("always allows the gateway's own origin, whatever the list", () => {
    const policy = parseCorsOrigins("https://teams.example");
    assert.ok(isOriginAllowed(policy, "http://gw.local:8080", "gw.local:8080"));
    assert.ok(!isOriginAllowed(policy, "http://gw.local:9090", "gw.local:8080"));
  });

  it("matches exact origins, default ports and port wildcards", () => {
    const policy = parseCorsOrigins("https://teams.example, http://10.0.0.5:*");
    assert.ok(isOriginAllowed(policy, "https://teams.example", undefined));
    assert.ok(!isOriginAllowed(policy, "https://teams.example:8443", undefined));
    assert.ok(isOriginAllowed(policy, "http://10.0.0.5:8081", undefined));
    assert.ok(!isOriginAllowed(policy, "null", undefined));
  });

  it("allows any origin with * alone", () => {
    assert.ok(isOriginAllowed(parseCorsOrigins("*"), "https://anything.example", undefined));
  });
});

describe("parseCorsOrigins", () => {
  it("names the entry it cannot read", () => {
    assert.throws(
      () => parseCorsOrigins("https://ok.example,teams.example"),
      /"teams.example" is not an origin/,
    );
  });
});

describe("CORS header values", () => {
  it("allows grpc-web's headers plus valid requested names, lower-cased", () => {
    assert.equal(
      allowedRequestHeaders("X-Token, bad header, content-type"),
      "content-type,x-grpc-web,x-user-agent,grpc-timeout,authorization,traceparent,tracestate,baggage,x-token",
    );
  });

  it("exposes the status headers plus the answer's metadata", () => {
    assert.equal(
      exposedResponseHeaders(["x-session"]),
      "grpc-status,grpc-message,grpc-status-details-bin,x-session",
    );
  });
});
