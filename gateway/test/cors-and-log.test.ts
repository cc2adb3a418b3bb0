// CORS as a browser sees it, and the access-log line written per call.
import assert from "node:assert/strict";
import http from "node:http";
import { after, before, describe, it } from "node:test";
import type { Gateway } from "../src/index.ts";
import { createLogger } from "../src/logger.ts";
import { callGrpcWeb } from "./support/grpc-web-request.ts";
import { answer, type RawUpstream, startRawUpstream } from "./support/raw-upstream.ts";
import { closeTestGateways, startTestGateway } from "./support/test-gateway.ts";

let upstream: RawUpstream;
let gateway: Gateway;
let strict: Gateway;
const logLines: string[] = [];

before(async () => {
  upstream = await startRawUpstream((stream) =>
    answer(stream, [Buffer.from("ok")], { "grpc-status": "0" }, { "x-session": "s1" }),
  );
  gateway = await startTestGateway(upstream.address, {
    logger: createLogger("info", (line) => logLines.push(line)),
  });
  strict = await startTestGateway(upstream.address, { corsOrigins: "https://teams.example" });
});

after(async () => {
  await closeTestGateways();
  await upstream.close();
});

function preflight(
  target: Gateway,
  origin: string,
  requestHeaders = "content-type,x-grpc-web,x-user-agent",
): Promise<{ status: number; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = http.request(new URL("/Teams/GetTeam", target.url), {
      method: "OPTIONS",
      headers: {
        origin,
        "access-control-request-method": "POST",
        "access-control-request-headers": requestHeaders,
      },
    });
    req.on("response", (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("CORS preflight", () => {
  it("allows a local dev server origin with grpc-web's headers and the custom ones asked for", async () => {
    const result = await preflight(
      gateway,
      "http://localhost:5173",
      "content-type,x-grpc-web,x-custom-token,bad header",
    );
    assert.equal(result.status, 204);
    assert.equal(result.headers["access-control-allow-origin"], "http://localhost:5173");
    assert.match(String(result.headers["access-control-allow-methods"]), /POST/);
    const allowed = String(result.headers["access-control-allow-headers"]).split(",");
    for (const name of [
      "content-type",
      "x-grpc-web",
      "x-user-agent",
      "grpc-timeout",
      "x-custom-token",
    ]) {
      assert.ok(allowed.includes(name), name);
    }
    assert.ok(!allowed.includes("bad header"));
  });

  it("refuses an origin not allowed with 403 and no allow-origin header", async () => {
    const result = await preflight(gateway, "https://evil.example");
    assert.equal(result.status, 403);
    assert.equal(result.headers["access-control-allow-origin"], undefined);
  });

  it("follows CORS_ORIGINS when set, and always allows the gateway's own origin", async () => {
    assert.equal((await preflight(strict, "https://teams.example")).status, 204);
    assert.equal((await preflight(strict, "http://localhost:5173")).status, 403);
    assert.equal((await preflight(strict, strict.url)).status, 204);
  });
});

describe("CORS on calls", () => {
  it("exposes the status headers and the answer's own metadata to an allowed origin", async () => {
    const result = await callGrpcWeb(gateway.url, "/S/M", [Buffer.from("x")], {
      headers: { origin: "http://127.0.0.1:3000" },
    });
    assert.equal(result.headers["access-control-allow-origin"], "http://127.0.0.1:3000");
    const exposed = String(result.headers["access-control-expose-headers"]).split(",");
    for (const name of ["grpc-status", "grpc-message", "grpc-status-details-bin", "x-session"]) {
      assert.ok(exposed.includes(name), name);
    }
  });

  it("sends no allow-origin header to an origin not allowed", async () => {
    const result = await callGrpcWeb(gateway.url, "/S/M", [Buffer.from("x")], {
      headers: { origin: "https://evil.example" },
    });
    assert.equal(result.headers["access-control-allow-origin"], undefined);
  });
});

describe("access log", () => {
  it("writes one JSON line per call with path, status, duration, bytes and mode", async () => {
    logLines.length = 0;
    await callGrpcWeb(gateway.url, "/pkg.Svc/Do", [Buffer.from("abc")], { text: true });
    const calls = logLines.map((line) => JSON.parse(line)).filter((entry) => entry.msg === "call");
    assert.equal(calls.length, 1);
    const [entry] = calls;
    assert.equal(entry.method, "POST");
    assert.equal(entry.path, "/pkg.Svc/Do");
    assert.equal(entry.grpcStatus, 0);
    assert.equal(entry.mode, "text");
    assert.equal(entry.bytesIn, 12); // base64 of the 8-byte frame
    assert.ok(entry.bytesOut > 0);
    assert.equal(typeof entry.durationMs, "number");
    assert.equal(entry.trace_id, undefined);
  });

  it("carries the trace id of the call's traceparent", async () => {
    logLines.length = 0;
    await callGrpcWeb(gateway.url, "/pkg.Svc/Do", [Buffer.from("abc")], {
      headers: { traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01" },
    });
    const calls = logLines.map((line) => JSON.parse(line)).filter((entry) => entry.msg === "call");
    assert.equal(calls[0]?.trace_id, "4bf92f3577b34da6a3ce929d0e0e4736");
  });
});
