// The gateway serving HTTPS: HTTP/2 (ALPN h2) with an HTTP/1.1 fallback, one handler
// for both. gRPC-Web calls, the page, CORS and bad input over HTTP/2's compatibility
// objects, Strict-Transport-Security on HTTPS only, and a close that cuts both kinds
// of connection. Certificates come from a throwaway CA made at test time.
import assert from "node:assert/strict";
import { once } from "node:events";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http2, { type ClientHttp2Session } from "node:http2";
import https from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import tls, { type TLSSocket } from "node:tls";
import { makeCertificates, type TestCertificates } from "@teams/tools/throwaway-ca";
import { TeamRequest, TeamResponse } from "@teams/web/gen";
import { eventually } from "./support/eventually.ts";
import { callGrpcWebH2, h2Request } from "./support/grpc-web-h2-request.ts";
import { callGrpcWeb } from "./support/grpc-web-request.ts";
import { answer, startRawUpstream } from "./support/raw-upstream.ts";
import { startTeamsStack, type TeamsStack } from "./support/teams-stack.ts";
import { startTestGateway } from "./support/test-gateway.ts";

const webRoot = mkdtempSync(join(tmpdir(), "https-web-"));
writeFileSync(join(webRoot, "index.html"), "<!doctype html><title>Teams over TLS</title>");
mkdirSync(join(webRoot, "assets"));
writeFileSync(join(webRoot, "assets", "app-1234.js"), "console.log('teams');\n");

let certs: TestCertificates;
let stack: TeamsStack;
let session: ClientHttp2Session;

before(async () => {
  certs = makeCertificates(["localhost", "127.0.0.1"]);
  stack = await startTeamsStack({ tls: { cert: certs.cert, key: certs.key }, webRoot });
  session = http2.connect(stack.gateway.url, {
    ca: certs.caCert,
  });
  await once(session, "connect");
});
after(async () => {
  session?.close();
  await stack?.close();
  certs?.cleanup();
  rmSync(webRoot, { recursive: true, force: true });
});

const boston = (): Uint8Array => new TeamRequest({ city: "Boston" }).serialize();

/** An HTTPS/1.1 request (no ALPN h2 offered), as an old client would make. */
function http1Request(
  path: string,
  options: https.RequestOptions,
  body?: Buffer,
): Promise<{ status: number; version: string; headers: Record<string, unknown>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = https.request(new URL(path, stack.gateway.url), { ca: certs.caCert, ...options });
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
    const plain = await startTeamsStack({ webRoot });
    try {
      assert.match(plain.gateway.url, /^http:\/\//);
      const result = await callGrpcWeb(plain.gateway.url, "/Teams/GetTeam", [boston()]);
      assert.equal(result.status, 0, result.message);
      assert.equal(result.headers["strict-transport-security"], undefined);
    } finally {
      await plain.close();
    }
  });

  it("drain() sends GOAWAY to an HTTP/2 connection and lets its call in progress finish", async () => {
    let answerHeldCall = (): void => {};
    const upstream = await startRawUpstream((stream) => {
      answerHeldCall = () =>
        answer(stream, [
          new TeamResponse({ city: "Boston", nickname: "Held", found: true }).serialize(),
        ]);
    });
    const gateway = await startTestGateway(upstream.address, {
      tls: { cert: certs.cert, key: certs.key },
    });
    const client = http2.connect(gateway.url, { ca: certs.caCert });
    client.on("error", () => {});
    try {
      let goaway = false;
      client.once("goaway", () => {
        goaway = true;
      });
      const call = callGrpcWebH2(client, "/Teams/GetTeam", [boston()]);
      await eventually(() => upstream.calls.length === 1);
      const drained = gateway.drain(5000);
      await eventually(() => goaway); // fails, rather than hangs, without one
      assert.equal(gateway.activeCalls(), 1);
      answerHeldCall();
      const result = await call;
      assert.equal(result.status, 0, result.message);
      assert.equal(TeamResponse.deserialize(result.messages[0] as Buffer).nickname, "Held");
      await drained;
    } finally {
      client.destroy();
      await gateway.close();
      await upstream.close();
    }
  });

  it("sends GOAWAY to an HTTP/2 connection left without a call, never during a quiet one", async () => {
    let answerHeldCall = (): void => {};
    const upstream = await startRawUpstream((stream) => {
      answerHeldCall = () => answer(stream, []);
    });
    const gateway = await startTestGateway(upstream.address, {
      tls: { cert: certs.cert, key: certs.key },
      http2IdleTimeoutMs: 150,
    });
    const client = http2.connect(gateway.url, { ca: certs.caCert });
    client.on("error", () => {});
    let goaway = false;
    client.once("goaway", () => {
      goaway = true;
    });
    try {
      const call = callGrpcWebH2(client, "/Teams/GetTeam", [boston()]);
      await eventually(() => upstream.calls.length === 1);
      await new Promise((resolve) => setTimeout(resolve, 450)); // 3× the idle time, call silent
      assert.equal(goaway, false, "a call in progress keeps its connection");
      answerHeldCall();
      assert.equal((await call).status, 0);
      await eventually(() => goaway);

      const silent = http2.connect(gateway.url, { ca: certs.caCert }); // never opens a stream
      silent.on("error", () => {});
      let silentGoaway = false;
      silent.once("goaway", () => {
        silentGoaway = true;
      });
      await eventually(() => silentGoaway);
      silent.destroy();
    } finally {
      client.destroy();
      await gateway.close();
      await upstream.close();
    }
  });

  it("cuts an HTTPS/1.1 client that trickles its headers with 408, as on plain HTTP", async () => {
    const gateway = await startTestGateway("127.0.0.1:1", {
      tls: { cert: certs.cert, key: certs.key },
      headersTimeoutMs: 200,
      requestTimeoutMs: 1000,
    });
    try {
      const socket = tls.connect({
        port: gateway.port,
        host: "127.0.0.1",
        ca: certs.caCert,
        ALPNProtocols: ["http/1.1"],
      });
      await once(socket, "secureConnect");
      assert.equal(socket.alpnProtocol, "http/1.1");
      socket.write("GET / HTTP/1.1\r\nhost: localhost\r\n"); // and never the blank line
      let answer = "";
      socket.on("data", (chunk: Buffer) => {
        answer += chunk.toString();
      });
      socket.setTimeout(3000, () => socket.destroy()); // no answer: fail, not hang
      await once(socket, "close");
      assert.match(answer, /^HTTP\/1\.1 408 Request Timeout/);
    } finally {
      await gateway.close();
    }
  });

  it("closes with HTTP/2 sessions and HTTP/1.1 keep-alive connections still open", async () => {
    const gateway = await startTestGateway("127.0.0.1:1", {
      webRoot,
      tls: { cert: certs.cert, key: certs.key },
      hstsMaxAgeSeconds: 60,
    });
    const client = http2.connect(gateway.url, { ca: certs.caCert });
    client.on("error", () => {});
    const page = await h2Request(client, { ":method": "GET", ":path": "/" });
    assert.equal(page.headers["strict-transport-security"], "max-age=60");
    const agent = new https.Agent({ keepAlive: true, ca: certs.caCert });
    await new Promise<void>((resolve, reject) => {
      https
        .get(new URL("/", gateway.url), { agent }, (res) => {
          res.resume();
          res.on("end", resolve);
        })
        .on("error", reject);
    });
    const sessionClosed = once(client, "close");
    await gateway.close(); // would hang if either connection were left open
    await sessionClosed;
    agent.destroy();
  });
});
