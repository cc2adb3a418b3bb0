// Header limits (issue 11 §4): 16 KiB on both listeners, at most 100 forwarded headers,
// refused by the gateway itself before anything is forwarded; a call the upstream
// refuses for the size of its headers is not retried.
import assert from "node:assert/strict";
import { once } from "node:events";
import http2, { type ClientHttp2Session } from "node:http2";
import { after, before, describe, it } from "node:test";
import { makeCertificates, type TestCertificates } from "@teams/tools/throwaway-ca";
import type { Gateway } from "../src/index.ts";
import { callGrpcWebH2, h2Request } from "./support/grpc-web-h2-request.ts";
import { callGrpcWeb } from "./support/grpc-web-request.ts";
import { answer, type RawUpstream, startRawUpstream } from "./support/raw-upstream.ts";
import { closeTestGateways, startTestGateway } from "./support/test-gateway.ts";

let certs: TestCertificates;
let upstream: RawUpstream;
let plain: Gateway;
let secure: Gateway;
let session: ClientHttp2Session;

before(async () => {
  certs = makeCertificates();
  upstream = await startRawUpstream((stream, headers) => {
    // Stands in for a server whose header limit is below the gateway's.
    if (headers["x-big"]) stream.close(http2.constants.NGHTTP2_REFUSED_STREAM);
    else answer(stream, [Buffer.from("ok")]);
  });
  plain = await startTestGateway(upstream.address, { upstreamRetryMs: 2000 });
  secure = await startTestGateway(upstream.address, { tls: { cert: certs.cert, key: certs.key } });
  session = await connect();
});

async function connect(): Promise<ClientHttp2Session> {
  const client = http2.connect(`https://127.0.0.1:${secure.port}`, {
    ca: certs.caCert,
    servername: "localhost",
  });
  client.on("error", () => {});
  await once(client, "connect");
  return client;
}
after(async () => {
  session.close();
  await closeTestGateways();
  await upstream.close();
  certs.cleanup();
});

const message = [Buffer.from("x")];
const manyMetadata = Object.fromEntries(Array.from({ length: 150 }, (_, i) => [`x-m${i}`, "v"]));

describe("the HTTP/2 listener's header-list limit (16 KiB, as on HTTP/1.1)", () => {
  it("answers 431 to a 60 KB header on a page request", async () => {
    const res = await h2Request(session, { ":path": "/", "x-big-header": "a".repeat(60_000) });
    assert.equal(res.headers[":status"], 431);
    assert.match(res.body.toString(), /16 KiB/);
  });

  it("answers RESOURCE_EXHAUSTED to a gRPC-Web call with a 60 KB header, not forwarded", async () => {
    const before = upstream.calls.length;
    const result = await callGrpcWebH2(session, "/Teams/GetTeam", message, {
      headers: { "x-meta": "a".repeat(60_000) },
    });
    assert.equal(result.status, 8);
    assert.match(result.message, /over the gateway's limit of 16384/);
    assert.equal(upstream.calls.length, before);
  });

  it("refuses a small HPACK block that decodes to 400 KB, not forwarded", async () => {
    const before = upstream.calls.length;
    // One repeated field: HPACK sends it once and then by index.
    const headers = { "x-meta": Array.from({ length: 100 }, () => "b".repeat(4000)) };
    // Its own connection: nghttp2 may end the whole connection over it.
    const own = await connect();
    const outcome = await callGrpcWebH2(own, "/Teams/GetTeam", message, {
      headers: headers as unknown as Record<string, string>,
    }).then(
      (result) => `status ${result.status}`,
      (error: NodeJS.ErrnoException) => `refused ${error.code}`,
    );
    own.destroy();
    assert.match(outcome, /^status 8$|^refused ERR_HTTP2_STREAM_ERROR$/);
    assert.equal(upstream.calls.length, before, "the server never saw it");
  });
});

describe("too many metadata headers", () => {
  for (const protocol of ["HTTP/1.1", "HTTP/2"] as const) {
    it(`150 are refused by the gateway with RESOURCE_EXHAUSTED naming the limit (${protocol})`, async () => {
      const before = upstream.calls.length;
      const result =
        protocol === "HTTP/1.1"
          ? await callGrpcWeb(plain.url, "/Teams/GetTeam", message, { headers: manyMetadata })
          : await callGrpcWebH2(session, "/Teams/GetTeam", message, { headers: manyMetadata });
      assert.equal(result.status, 8, result.message);
      assert.match(result.message, /at most 100/);
      assert.equal(upstream.calls.length, before);
    });
  }
});

describe("a call the upstream refuses for its header size", () => {
  it("is answered RESOURCE_EXHAUSTED at once, never retried", async () => {
    const before = upstream.calls.length;
    const result = await callGrpcWeb(plain.url, "/Teams/GetTeam", message, {
      headers: { "x-big": "a".repeat(12_000) },
    });
    assert.equal(result.status, 8, result.message);
    assert.match(result.message, /REFUSED_STREAM.*headers/);
    assert.equal(upstream.calls.length - before, 1, "sent once");
  });
});
