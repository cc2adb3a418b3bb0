// What the public port exposes (issue 11 §6): only the configured services, only known
// Host names, no call from an origin CORS refuses, no HTTP/0.9 request line; CORS allows
// tokens and trace context, and the gateway never logs a token.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import net from "node:net";
import { after, afterEach, before, describe, it } from "node:test";
import { makeCertificates } from "@teams/tools/throwaway-ca";
import { hostPolicy, isHostAllowed } from "../src/allowed-hosts.ts";
import { defaultGatewayServices } from "../src/gateway-services.ts";
import { callGrpcWeb } from "./support/grpc-web-request.ts";
import { httpTextRequest } from "./support/http-text-request.ts";
import { answer, type RawUpstream, startRawUpstream } from "./support/raw-upstream.ts";
import { recordingLogger } from "./support/recording-logger.ts";
import { closeTestGateways, startTestGateway } from "./support/test-gateway.ts";

let upstream: RawUpstream;
before(async () => {
  upstream = await startRawUpstream((stream) => answer(stream, [Buffer.from("ok")]));
});
afterEach(closeTestGateways);
after(() => upstream.close());

const message = [Buffer.from("x")];
const reflection = "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo";

describe("GATEWAY_SERVICES", () => {
  it("defaults to proto/teams.proto's services plus health", () => {
    const proto = readFileSync(new URL("../../proto/teams.proto", import.meta.url), "utf8");
    const services = [...proto.matchAll(/^service\s+(\w+)/gm)].map((match) => match[1]);
    assert.deepEqual(defaultGatewayServices.split(","), [...services, "grpc.health.v1.Health"]);
  });

  it("answers any other service UNIMPLEMENTED itself: the server never sees the call", async () => {
    // services: undefined overrides the test helper's "*": the gateway's own default.
    const gateway = await startTestGateway(upstream.address, { services: undefined });
    const before = upstream.calls.length;
    for (const path of [reflection, "/Teams/../grpc.reflection.v1.ServerReflection/X", "/x"]) {
      const result = await callGrpcWeb(gateway.url, path, message);
      assert.equal(result.status, 12, path);
      assert.match(result.message, /GATEWAY_SERVICES/);
    }
    assert.equal(upstream.calls.length, before, "nothing was forwarded");
    assert.equal((await callGrpcWeb(gateway.url, "/Teams/GetTeam", message)).status, 0);
    assert.equal(
      (await callGrpcWeb(gateway.url, "/grpc.health.v1.Health/Check", message)).status,
      0,
    );
  });

  it("forwards everything with *", async () => {
    const gateway = await startTestGateway(upstream.address, { services: "*" });
    assert.equal((await callGrpcWeb(gateway.url, reflection, message)).status, 0);
  });
});

describe("ALLOWED_HOSTS", () => {
  it("answers 403 naming ALLOWED_HOSTS to a Host it does not know (DNS rebinding)", async () => {
    const gateway = await startTestGateway(upstream.address);
    const before = upstream.calls.length;
    const page = await httpTextRequest(gateway.url, {
      path: "/",
      headers: { host: "evil.example:8080" },
    });
    assert.equal(page.status, 403);
    assert.match(page.body, /ALLOWED_HOSTS/);
    const call = await callGrpcWeb(gateway.url, "/Teams/GetTeam", message, {
      headers: { host: "evil.example", origin: "http://evil.example" },
    });
    assert.equal(call.httpStatus, 403);
    assert.equal(upstream.calls.length, before);
  });

  it("answers localhost names, loopback and the listed names", async () => {
    const gateway = await startTestGateway(upstream.address, { allowedHosts: ".teams.example" });
    for (const host of [
      "localhost:1",
      "app.localhost",
      "127.0.0.1",
      "[::1]:80",
      "teams.example",
      "a.teams.example",
    ]) {
      const result = await callGrpcWeb(gateway.url, "/Teams/GetTeam", message, {
        headers: { host },
      });
      assert.equal(result.status, 0, host);
    }
  });

  it("allows by default the machine's name and the TLS certificate's names", () => {
    const certs = makeCertificates(["teams.test", "*.apps.test"]);
    try {
      const policy = hostPolicy("", certs.cert);
      for (const host of ["teams.test:8443", "x.apps.test"])
        assert.ok(isHostAllowed(policy, host), host);
      assert.ok(!isHostAllowed(policy, "teams.test.evil.example"));
      assert.ok(!isHostAllowed(hostPolicy(), "teams.test"));
      assert.ok(isHostAllowed(hostPolicy("*"), "anything.example"));
    } finally {
      certs.cleanup();
    }
  });
});

describe("CORS", () => {
  it("refuses a call from an origin it does not allow with 403, before anything is forwarded", async () => {
    const gateway = await startTestGateway(upstream.address);
    const before = upstream.calls.length;
    const result = await callGrpcWeb(gateway.url, "/Teams/GetTeam", message, {
      headers: { origin: "https://attacker.example" },
    });
    assert.equal(result.httpStatus, 403);
    assert.equal(upstream.calls.length, before, "the server never saw the call");
    const allowed = await callGrpcWeb(gateway.url, "/Teams/GetTeam", message, {
      headers: { origin: "http://localhost:5173" },
    });
    assert.equal(allowed.status, 0);
  });

  it("allows authorization and W3C trace context headers", async () => {
    const gateway = await startTestGateway(upstream.address);
    const res = await httpTextRequest(gateway.url, {
      method: "OPTIONS",
      path: "/Teams/PutTeam",
      headers: {
        origin: "http://localhost:5173",
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type,x-grpc-web",
      },
    });
    assert.equal(res.status, 204);
    const allowed = String(res.headers["access-control-allow-headers"]).split(",");
    for (const name of ["authorization", "traceparent", "tracestate", "baggage"]) {
      assert.ok(allowed.includes(name), name);
    }
  });

  it("never logs the authorization header, on success or failure", async () => {
    const logger = recordingLogger();
    const live = await startTestGateway(upstream.address, { logger, logLevel: "debug" });
    const dead = await startTestGateway("127.0.0.1:1", { logger, logLevel: "debug" });
    const headers = { authorization: "Bearer secret-token-7f3a" };
    const forwarded = upstream.calls.length;
    assert.equal((await callGrpcWeb(live.url, "/Teams/GetTeam", message, { headers })).status, 0);
    assert.equal(
      upstream.calls[forwarded]?.authorization,
      headers.authorization,
      "passed upstream",
    );
    assert.equal((await callGrpcWeb(dead.url, "/Teams/GetTeam", message, { headers })).status, 14);
    assert.ok(logger.lines.length > 0);
    assert.doesNotMatch(JSON.stringify(logger.lines), /secret-token/);
  });
});

describe("request line", () => {
  it("answers 400 to a request line with no HTTP version (GET /)", async () => {
    const gateway = await startTestGateway(upstream.address);
    const socket = net.connect(gateway.port, "127.0.0.1");
    socket.end("GET /\r\n\r\n");
    let raw = "";
    for await (const chunk of socket) raw += chunk;
    assert.match(raw, /^HTTP\/1\.1 400 /);
    assert.match(raw, /needs an HTTP version/);
  });
});
