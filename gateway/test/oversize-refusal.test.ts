// The RESOURCE_EXHAUSTED answer to an oversize message must reach a node:http client that
// is still uploading (issue 11 §5): it was lost to EPIPE when the gateway closed the
// connection under the upload. The gateway now reads and discards the rest of the body
// (a lingering close, up to a bound) before it closes.
import assert from "node:assert/strict";
import http from "node:http";
import { after, before, describe, it } from "node:test";
import type { Gateway } from "../src/index.ts";
import { callGrpcWeb, requestBody } from "./support/grpc-web-request.ts";
import { answer, type RawUpstream, startRawUpstream } from "./support/raw-upstream.ts";
import { closeTestGateways, startTestGateway } from "./support/test-gateway.ts";

const maxMessageBytes = 4 * 1024 * 1024;
let upstream: RawUpstream;
let gateway: Gateway;

before(async () => {
  upstream = await startRawUpstream((stream) => answer(stream, [Buffer.from("ok")]));
  gateway = await startTestGateway(upstream.address, { maxMessageBytes });
});
after(async () => {
  await closeTestGateways();
  await upstream.close();
});

/**
 * Uploads `body` in 64 KiB pieces, each after the previous one was taken, as a browser
 * does; once the upload is over, resolves with the grpc-status read and the first write or
 * socket error, if any.
 */
function upload(body: Buffer, text: boolean): Promise<{ status: string; error?: string }> {
  return new Promise((resolve) => {
    let status = "none";
    let failure: string | undefined;
    const req = http.request(new URL("/Teams/GetTeam", gateway.url), {
      method: "POST",
      headers: { "content-type": text ? "application/grpc-web-text" : "application/grpc-web" },
    });
    req.on("response", (res) => {
      status = String(res.headers["grpc-status"]);
      res.resume();
    });
    req.on("error", (error: NodeJS.ErrnoException) => {
      failure ??= error.code ?? error.message;
    });
    req.once("close", () => resolve(failure ? { status, error: failure } : { status }));
    void (async () => {
      for (let offset = 0; offset < body.length && !req.destroyed; offset += 65_536) {
        await new Promise<void>((done) => {
          // The callback also runs with the error if the write fails.
          req.write(body.subarray(offset, offset + 65_536), () => done());
        });
      }
      req.end();
    })();
  });
}

describe("an oversize request message", () => {
  for (const text of [false, true]) {
    it(`is answered RESOURCE_EXHAUSTED, read without EPIPE 20 times out of 20 (${text ? "text" : "binary"})`, async () => {
      const body = requestBody([Buffer.alloc(maxMessageBytes + 1024, 0x61)], text);
      const outcomes: string[] = [];
      for (let attempt = 0; attempt < 20; attempt += 1) {
        const { status, error } = await upload(body, text);
        outcomes.push(error ? `${status} ${error}` : status);
      }
      assert.deepEqual(outcomes, Array(20).fill("8"));
      assert.equal(
        (await callGrpcWeb(gateway.url, "/Teams/GetTeam", [Buffer.from("x")])).status,
        0,
      );
    });
  }
});
