// Property-based fuzzing of the gateway (fast-check): random and mutated gRPC-Web
// requests, wrong methods and content types, path traversal on the page, huge
// headers and URLs, raw garbage. The gateway runs as a child process in front of
// the real Teams server, so its memory is its own.
//
// Oracle: every case gets a complete answer within 10 s, and
// - a gRPC-Web answer carries a grpc-status; a non-OK one has a grpc-message;
//   OK only for a well-formed call (known method, one uncompressed frame whose
//   prefix is true, valid base64 in text mode, a usable grpc-timeout) whose
//   messages are TeamResponses;
// - any other answer is 2xx/3xx for a valid page request, else 4xx with a message;
//   never 5xx, never the file outside the web root;
// - raw bytes get a 4xx status line and a message.
// Then: the process is alive, still answers, and its memory is back near where it was.
// FUZZ_RUNS and FUZZ_SEED override the bounded, reproducible default.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, it } from "node:test";
import { TeamRequest, TeamResponse } from "@teams/web/gen";
import fc from "fast-check";
import { answerFits, isLongTimeout } from "./support/fuzz-call-oracle.ts";
import type { GrpcCase } from "./support/fuzz-grpc-case.ts";
import type { HttpCase, RawCase } from "./support/fuzz-http-case.ts";
import { type FuzzCase, fuzzCase } from "./support/fuzz-requests.ts";
import { type HttpAnswer, send, sendRaw } from "./support/fuzz-transport.ts";
import {
  type GatewayProcess,
  killGatewayProcesses,
  startGatewayProcess,
} from "./support/gateway-process.ts";
import { callGrpcWeb, parseAnswer } from "./support/grpc-web-request.ts";
import { startTeamsServer, type TeamsServer } from "./support/teams-server.ts";

const runs = Number(process.env.FUZZ_RUNS ?? 300);
const seed = Number(process.env.FUZZ_SEED ?? 20261124);
const secret = "TOP-SECRET-outside-the-web-root";
const indexHtml = "<!doctype html><title>fuzz</title>";
const appJs = "console.log('fuzz');";

const temp = mkdtempSync(join(tmpdir(), "gateway-fuzz-"));
const webRoot = join(temp, "web");
mkdirSync(join(webRoot, "assets"), { recursive: true });
writeFileSync(join(webRoot, "index.html"), indexHtml);
writeFileSync(join(webRoot, "assets", "app.js"), appJs);
writeFileSync(join(temp, "secret.txt"), secret);

let server: TeamsServer;
let gateway: GatewayProcess;
before(async () => {
  server = await startTeamsServer();
  gateway = await startGatewayProcess(
    {
      UPSTREAM: `127.0.0.1:${server.port}`,
      WEB_ROOT: webRoot,
      LOG_LEVEL: "info", // the startup line carries the port
      HEADERS_TIMEOUT_MS: "2000",
      REQUEST_TIMEOUT_MS: "4000",
      BODY_IDLE_TIMEOUT_MS: "1000",
    },
    { exposeGc: true },
  );
});
after(() => {
  killGatewayProcesses();
  server?.forceShutdown();
  rmSync(temp, { recursive: true, force: true });
});

async function checkGrpc(one: GrpcCase): Promise<void> {
  const answer = await send(gateway.port, "POST", one.path, one.headers, one.pieces);
  if (answer.status !== 200) {
    assert.ok(answer.status >= 400 && answer.status < 500, `HTTP ${answer.status}`);
    assert.ok(answer.body.length > 0, `HTTP ${answer.status} without a message`);
    return;
  }
  const result = parseAnswer(answer.status, answer.headers, answer.body);
  assert.ok(
    Number.isInteger(result.status) && result.status >= 0 && result.status <= 16,
    `grpc-status ${result.status}`,
  );
  if (result.status !== 0) {
    assert.ok(result.message.length > 0, `grpc-status ${result.status} without grpc-message`);
    const timeout = one.headers["grpc-timeout"];
    if (one.wellFormed && isLongTimeout(timeout)) {
      assert.notEqual(result.status, 4, `grpc-timeout ${timeout} expired: ${result.message}`);
    }
    return;
  }
  assert.ok(one.wellFormed, "OK for a request that is not a well-formed call");
  assert.ok(answerFits(one.path, result.messages), "OK answer is not TeamResponse messages");
}

async function checkHttp(one: HttpCase): Promise<void> {
  const answer = await send(gateway.port, one.method, one.path, one.headers, []);
  const body = answer.body.toString("latin1");
  assert.ok(!body.includes(secret), "served a file outside the web root");
  assert.ok(answer.status < 500, `HTTP ${answer.status}: ${body.slice(0, 200)}`);
  checkRange(one, answer);
  // A 416 says what is wrong in its Content-Range (RFC 9110), with no body.
  if (answer.status >= 400 && answer.status !== 416 && one.method !== "HEAD") {
    assert.ok(body.trim().length > 0, `HTTP ${answer.status} without a message`);
  }
  if (answer.status === 200 && one.method === "GET") {
    const grpcWeb = String(answer.headers["content-type"]).startsWith("application/grpc-web");
    if (grpcWeb) {
      const result = parseAnswer(answer.status, answer.headers, answer.body);
      assert.ok(result.status > 0 && result.message, "a GET gRPC-Web call answered OK");
    } else
      assert.ok([indexHtml, appJs].includes(body), `unexpected page body ${body.slice(0, 80)}`);
  }
}

/** Range answers as RFC 9110 says: 206 with the bytes named, 416 with the size. */
function checkRange(one: HttpCase, answer: HttpAnswer): void {
  const contentRange = String(answer.headers["content-range"] ?? "");
  if (answer.status === 416) {
    assert.match(contentRange, /^bytes \*\/\d+$/, `416 for ${one.headers.range}`);
    return;
  }
  if (answer.status !== 206) return;
  const match = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(contentRange);
  assert.ok(match, `206 with Content-Range ${contentRange} for ${one.headers.range}`);
  const [start, end, size] = match.slice(1).map(Number) as [number, number, number];
  assert.ok(start <= end && end < size, `206 ${contentRange}`);
  if (one.method === "GET") {
    const file = [indexHtml, appJs].find((text) => text.length === size);
    assert.equal(answer.body.toString("latin1"), file?.slice(start, end + 1), contentRange);
  }
}

async function checkRaw(one: RawCase): Promise<void> {
  const answer = await sendRaw(gateway.port, one.bytes);
  const body = answer.slice(answer.indexOf("\r\n\r\n") + 4);
  assert.match(answer, /^HTTP\/1\.1 4\d\d /, `answered ${JSON.stringify(answer.slice(0, 60))}`);
  assert.ok(body.trim().length > 0, `no message in ${JSON.stringify(answer.slice(0, 200))}`);
}

function check(one: FuzzCase): Promise<void> {
  if (one.kind === "grpc") return checkGrpc(one);
  if (one.kind === "http") return checkHttp(one);
  return checkRaw(one);
}

async function lookUpChicago(): Promise<void> {
  const result = await callGrpcWeb(gateway.url, "/Teams/GetTeam", [
    new TeamRequest({ city: "Chicago" }).serialize(),
  ]);
  assert.equal(result.status, 0, result.message);
  assert.equal(TeamResponse.deserialize(result.messages[0] as Buffer).nickname, "Jackals");
}

it("survives random and mutated requests with precise answers, and its memory returns to baseline", {
  timeout: 120_000,
}, async (t) => {
  // Warm up (JIT, buffers, the upstream session) before the baseline.
  await fc.assert(fc.asyncProperty(fuzzCase, check), {
    numRuns: 50,
    seed: seed + 1,
    includeErrorInReport: true,
  });
  for (let index = 0; index < 50; index += 1) await lookUpChicago();
  const before = await gateway.collect();

  let cases = 0;
  const kinds: Record<string, number> = { grpc: 0, http: 0, raw: 0 };
  await fc.assert(
    fc.asyncProperty(fuzzCase, async (one) => {
      cases += 1;
      kinds[one.kind] = (kinds[one.kind] ?? 0) + 1;
      await check(one);
    }),
    { numRuns: runs, seed, includeErrorInReport: true, verbose: process.env.FUZZ_VERBOSE ? 2 : 0 },
  );

  await lookUpChicago();
  assert.equal(gateway.child.exitCode, null, "the gateway process is still running");
  const afterRun = await gateway.collect();
  const mib = (bytes: number): string => `${(bytes / 1048576).toFixed(1)} MiB`;
  t.diagnostic(
    `fuzz: ${cases} cases (${kinds.grpc} gRPC-Web, ${kinds.http} HTTP, ${kinds.raw} raw) + 50 warm-up, seed ${seed}`,
  );
  t.diagnostic(
    `gateway RSS ${mib(before.rss)} -> ${mib(afterRun.rss)}, heap ${mib(before.heapUsed)} -> ${mib(afterRun.heapUsed)}, buffers ${mib(before.arrayBuffers)} -> ${mib(afterRun.arrayBuffers)} (after GC)`,
  );
  // Tolerant bounds: allocator and JIT noise, not leaks, fit in them.
  assert.ok(
    afterRun.heapUsed < before.heapUsed + 8 * 1048576,
    `heap grew from ${mib(before.heapUsed)} to ${mib(afterRun.heapUsed)}`,
  );
  assert.ok(
    afterRun.rss < before.rss * 1.25 + 16 * 1048576,
    `RSS grew from ${mib(before.rss)} to ${mib(afterRun.rss)}`,
  );
  assert.ok(gateway.rssBytes() > 0);
});
