// The gateway serving HTTPS: HTTP/2 (ALPN h2) with an HTTP/1.1 fallback, one handler
// for both. gRPC-Web calls, the page, CORS and bad input over HTTP/2's compatibility
// objects, Strict-Transport-Security on HTTPS only. Shutdown is in
// https-listener-shutdown.test.ts. Certificates come from a throwaway CA made at test time.
import assert from "node:assert/strict";
import { once } from "node:events";
import http2, { type ClientHttp2Session } from "node:http2";
import https from "node:https";
import { after, before, describe, it } from "node:test";
import type { TLSSocket } from "node:tls";
import { TeamResponse } from "@teams/web/gen";
import { callGrpcWebH2, h2Request } from "./support/grpc-web-h2-request.ts";
import { callGrpcWeb } from "./support/grpc-web-request.ts";
import { boston, useHttpsFixtures } from "./support/https-fixtures.ts";
import { startTeamsStack, type TeamsStack } from "./support/teams-stack.ts";

const files = useHttpsFixtures();
let stack: TeamsStack;
let session: ClientHttp2Session;

before(async () => {
  stack = await startTeamsStack({ tls: files.tls(), webRoot: files.webRoot });
  session = http2.connect(stack.gateway.url, {
    ca: files.certs.caCert,
  });
  await once(session, "connect");
});
after(async () => {
  session?.close();
  await stack?.close();
});

/** An HTTPS/1.1 request (no ALPN h2 offered), as an old client would make. */
function http1Request(
  path: string,
  options: https.RequestOptions,
  body?: Buffer,
): Promise<{ status: number; version: string; headers: Record<string, unknown>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = https.request(new URL(path, stack.gateway.url), {
      ca: files.certs.caCert,
      ...options,
    });
    req.on("error", reject);
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          version: res.httpVersion,
          headers: res.headers,
          body: Buffer.concat(chunks),
        }),
      );
    });
    req.end(body);
  });
}

describe("HTTPS listener", () => {
  it("says https:// in its URL and negotiates HTTP/2 by ALPN", () => {
    assert.match(stack.gateway.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    assert.equal((session.socket as TLSSocket).alpnProtocol, "h2");
  });

  it("answers gRPC-Web over HTTP/2, binary and text, with HSTS and CORS for its own https origin", async () => {
    const origin = stack.gateway.url; // the page's own origin: allowed whatever CORS_ORIGINS says
    for (const text of [false, true]) {
      const result = await callGrpcWebH2(session, "/Teams/GetTeam", [boston()], {
        text,
        headers: { origin },
      });
      assert.equal(result.status, 0, result.message);
      assert.equal(
        TeamResponse.deserialize(result.messages[0] as Buffer).nickname,
        "Revolutionaries",
      );
      assert.equal(result.headers["strict-transport-security"], "max-age=31536000");
      assert.equal(result.headers["access-control-allow-origin"], origin);
      assert.equal(result.headers.connection, undefined);
    }
  });

  it("falls back to HTTP/1.1 for a client that does not offer h2", async () => {
    const page = await http1Request("/", { method: "GET" });
    assert.equal(page.version, "1.1");
    assert.equal(page.status, 200);
    assert.equal(page.headers["strict-transport-security"], "max-age=31536000");

    const body = Buffer.concat([Buffer.from([0, 0, 0, 0, boston().length]), boston()]);
    const call = await http1Request(
      "/Teams/GetTeam",
      {
        method: "POST",
        headers: { "content-type": "application/grpc-web+proto", "x-grpc-web": "1" },
      },
      body,
    );
    assert.equal(call.version, "1.1");
    assert.equal(call.status, 200);
    assert.match(call.body.subarray(5).toString(), /Revolutionaries/);
  });

  it("serves the page over HTTP/2 with its cache and security headers", async () => {
    const index = await h2Request(session, { ":method": "GET", ":path": "/" });
    assert.equal(index.headers[":status"], 200);
    assert.match(index.body.toString(), /Teams over TLS/);
    assert.equal(index.headers["cache-control"], "no-cache");
    assert.match(String(index.headers["content-security-policy"]), /default-src 'self'/);
    assert.equal(index.headers["strict-transport-security"], "max-age=31536000");

    const asset = await h2Request(session, { ":method": "GET", ":path": "/assets/app-1234.js" });
    assert.equal(asset.headers[":status"], 200);
    assert.equal(asset.headers["cache-control"], "public, max-age=31536000, immutable");
    assert.equal(asset.body.toString(), "console.log('teams');\n");

    const head = await h2Request(session, { ":method": "HEAD", ":path": "/teams/boston" });
    assert.equal(head.headers[":status"], 200); // the SPA fallback
    assert.equal(head.body.length, 0);

    const missing = await h2Request(session, { ":method": "GET", ":path": "/missing.js" });
    assert.equal(missing.headers[":status"], 404);
  });

  it("answers CORS preflights over HTTP/2: 204 for an allowed origin, 403 naming CORS_ORIGINS otherwise", async () => {
    const preflight = (origin: string) =>
      h2Request(session, {
        ":method": "OPTIONS",
        ":path": "/Teams/GetTeam",
        origin,
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type,x-grpc-web,grpc-timeout",
      });
    const own = await preflight(stack.gateway.url);
    assert.equal(own.headers[":status"], 204);
    assert.equal(own.headers["access-control-allow-origin"], stack.gateway.url);
    const foreign = await preflight("https://elsewhere.example");
    assert.equal(foreign.headers[":status"], 403);
    assert.match(foreign.body.toString(), /add it to CORS_ORIGINS/);
  });

  it("answers bad input over HTTP/2 precisely, without connection headers, and keeps the session serving", async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error): void => {
      warnings.push(warning);
    };
    process.on("warning", onWarning);
    try {
      const bad = await callGrpcWebH2(session, "/Teams/GetTeam", [], {
        text: true,
        body: "not base64!",
      });
      assert.equal(bad.status, 3, bad.message);
      assert.match(bad.message, /base64/);
      assert.equal(bad.headers.connection, undefined);

      const notGrpcWeb = await h2Request(
        session,
        { ":method": "POST", ":path": "/Teams/GetTeam", "content-type": "application/json" },
        "{}",
      );
      assert.equal(notGrpcWeb.headers[":status"], 415);
      assert.match(notGrpcWeb.body.toString(), /is not gRPC-Web/);

      const good = await callGrpcWebH2(session, "/Teams/GetTeam", [boston()]);
      assert.equal(good.status, 0, good.message);
      await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on next tick
      assert.deepEqual(
        warnings.map((warning) => warning.message),
        [],
        "Node warns when a handler sets a connection-specific header on HTTP/2",
      );
    } finally {
      process.off("warning", onWarning);
    }
  });

  it("sends no Strict-Transport-Security over plain HTTP", async () => {
    const plain = await startTeamsStack({ webRoot: files.webRoot });
    try {
      assert.match(plain.gateway.url, /^http:\/\//);
      const result = await callGrpcWeb(plain.gateway.url, "/Teams/GetTeam", [boston()]);
      assert.equal(result.status, 0, result.message);
      assert.equal(result.headers["strict-transport-security"], undefined);
    } finally {
      await plain.close();
    }
  });
});
