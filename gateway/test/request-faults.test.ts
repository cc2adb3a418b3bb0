// No request can end the gateway: Range headers sirv once crashed on (issue 11 §1), and
// faults injected into the handling of one call. Over HTTP/1.1 and HTTP/2.
import assert from "node:assert/strict";
import { once } from "node:events";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http2, { type ClientHttp2Session } from "node:http2";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, afterEach, before, describe, it } from "node:test";
import { makeCertificates, type TestCertificates } from "@teams/tools/throwaway-ca";
import type { Gateway } from "../src/index.ts";
import { h2Request } from "./support/grpc-web-h2-request.ts";
import { callGrpcWeb } from "./support/grpc-web-request.ts";
import { httpTextRequest } from "./support/http-text-request.ts";
import { answer, type RawUpstream, startRawUpstream } from "./support/raw-upstream.ts";
import { type LogLine, recordingLogger } from "./support/recording-logger.ts";
import { closeTestGateways, startTestGateway } from "./support/test-gateway.ts";

const webRoot = mkdtempSync(join(tmpdir(), "gateway-range-"));
const page = "<!doctype html><title>Teams</title>"; // 35 bytes
writeFileSync(join(webRoot, "index.html"), page);
const size = Buffer.byteLength(page);

let certs: TestCertificates;
let plain: Gateway;
let secure: Gateway;
let session: ClientHttp2Session;
let upstream: RawUpstream;

before(async () => {
  certs = makeCertificates();
  upstream = await startRawUpstream((stream) => answer(stream, [Buffer.from("hi")]));
  plain = await startTestGateway(upstream.address, { webRoot });
  secure = await startTestGateway(upstream.address, {
    webRoot,
    tls: { cert: certs.cert, key: certs.key },
  });
  session = http2.connect(secure.url.replace("localhost", "127.0.0.1"), { ca: certs.caCert });
  await once(session, "connect");
});
after(async () => {
  session.close();
  await closeTestGateways();
  await upstream.close();
  certs.cleanup();
  rmSync(webRoot, { recursive: true, force: true });
});

interface RangeAnswer {
  readonly status: number;
  readonly contentRange: string | undefined;
  readonly body: string;
}

async function getRange(protocol: "HTTP/1.1" | "HTTP/2", range: string): Promise<RangeAnswer> {
  if (protocol === "HTTP/1.1") {
    const res = await httpTextRequest(plain.url, { path: "/index.html", headers: { range } });
    return { status: res.status, contentRange: res.headers["content-range"], body: res.body };
  }
  const res = await h2Request(session, { ":path": "/index.html", range });
  const contentRange = res.headers["content-range"];
  return {
    status: Number(res.headers[":status"]),
    contentRange: typeof contentRange === "string" ? contentRange : undefined,
    body: res.body.toString(),
  };
}

for (const protocol of ["HTTP/1.1", "HTTP/2"] as const) {
  describe(`Range over ${protocol}`, () => {
    // Each of these ended the gateway process (a RangeError from fs.createReadStream).
    for (const range of ["bytes=5-1", "bytes=2-1,0-5", "bytes=0-18446744073709551616"]) {
      it(`answers ${range} as RFC 9110 says, and keeps serving`, async () => {
        const res = await getRange(protocol, range);
        if (res.status === 416) assert.equal(res.contentRange, `bytes */${size}`);
        else if (res.status === 206) {
          // A last position past the end is clamped to the end.
          assert.equal(res.contentRange, `bytes 0-${size - 1}/${size}`);
          assert.equal(res.body, page);
        } else {
          assert.equal(res.status, 200, `${range}: ${res.status}`);
          assert.equal(res.body, page);
        }
        assert.equal((await getRange(protocol, "bytes=0-3")).status, 206, "still serving");
      });
    }

    it("answers 416 with Content-Range bytes */size for ranges past the end or malformed", async () => {
      for (const range of [`bytes=${size}-`, "bytes=99-100", "bytes=-0", "bytes=x-y", "bytes"]) {
        const res = await getRange(protocol, range);
        assert.equal(res.status, 416, range);
        assert.equal(res.contentRange, `bytes */${size}`, range);
      }
    });

    it("serves valid single ranges as 206 with the right bytes", async () => {
      const cases: [string, number, number][] = [
        ["bytes=0-3", 0, 3],
        ["bytes=5-", 5, size - 1],
        ["bytes=-5", size - 5, size - 1],
        ["bytes=10-10", 10, 10],
        ["bytes=3-1000", 3, size - 1],
      ];
      for (const [range, start, end] of cases) {
        const res = await getRange(protocol, range);
        assert.equal(res.status, 206, range);
        assert.equal(res.contentRange, `bytes ${start}-${end}/${size}`, range);
        assert.equal(res.body, page.slice(start, end + 1), range);
      }
    });
  });
}

describe("a fault while answering one request", () => {
  afterEach(closeTestGateways);

  async function gatewayFailingAt(msg: string) {
    let armed = true;
    const logger = recordingLogger((line: LogLine) => {
      if (armed && line.msg === msg) {
        armed = false;
        throw new Error(`injected fault at "${msg}"`);
      }
    });
    const gateway = await startTestGateway(upstream.address, {
      webRoot,
      logger,
      logLevel: "debug",
    });
    return { gateway, logger };
  }

  for (const [where, msg] of [
    ["as the call starts (in the request handler)", "call started"],
    ["as the call ends (in an upstream stream event)", "call"],
  ] as const) {
    it(`${where} ends that call INTERNAL, is logged, and the gateway keeps serving`, async () => {
      const { gateway, logger } = await gatewayFailingAt(msg);
      const failed = await callGrpcWeb(gateway.url, "/Teams/GetTeam", [Buffer.from("x")]).then(
        (result) => result.status,
        () => "aborted",
      );
      // Before the answer started: grpc-status 13; after it: the response is cut.
      assert.ok(failed === 13 || failed === "aborted", `got ${failed}`);
      const error = logger.lines.find((line) => line.level === "error");
      assert.match(String(error?.fields.error), /injected fault/);
      const next = await callGrpcWeb(gateway.url, "/Teams/GetTeam", [Buffer.from("x")]);
      assert.equal(next.status, 0);
      assert.equal(next.messages[0]?.toString(), "hi");
    });
  }
});
