// How the gateway treats its HTTP/2 connection to the upstream: one multiplexed session,
// GOAWAY, cancellation, the headers it sends, bodies cut anywhere, backpressure both ways.
import assert from "node:assert/strict";
import http from "node:http";
import { describe, it } from "node:test";
import { eventually } from "./support/eventually.ts";
import { callGrpcWeb, parseAnswer } from "./support/grpc-web-request.ts";
import { answer, readBody } from "./support/raw-upstream.ts";
import { closeAfterEachTest, gatewayOnRawUpstream } from "./support/raw-upstream-gateway.ts";

closeAfterEachTest();

const hello = [Buffer.from("hello")];

describe("upstream connection", () => {
  it("multiplexes many calls over one HTTP/2 session", async () => {
    const { gateway, upstream } = await gatewayOnRawUpstream(async (stream) => {
      answer(stream, [await readBody(stream)]);
    });
    await Promise.all(Array.from({ length: 20 }, () => callGrpcWeb(gateway.url, "/S/M", hello)));
    for (let index = 0; index < 10; index += 1) await callGrpcWeb(gateway.url, "/S/M", hello);
    assert.equal(upstream.calls.length, 30);
    assert.equal(upstream.sessions(), 1);
    assert.equal(gateway.upstreamStats().sessionsOpened, 1);
  });

  it("opens a new session after GOAWAY and keeps serving", async () => {
    const { gateway, upstream } = await gatewayOnRawUpstream((stream) =>
      answer(stream, [Buffer.from("ok")]),
    );
    assert.equal((await callGrpcWeb(gateway.url, "/S/M", hello)).status, 0);
    for (const session of upstream.liveSessions()) session.goaway();
    // No wait for the gateway to read the GOAWAY: a call sent on the old session before it
    // does is refused (above the GOAWAY's last stream id) and retried on a new one.
    const result = await callGrpcWeb(gateway.url, "/S/M", hello);
    assert.equal(result.status, 0, result.message);
    assert.equal(upstream.sessions(), 2);
  });

  it("cancels the upstream stream at once when the browser goes away", async () => {
    let started!: () => void;
    const callStarted = new Promise<void>((resolve) => {
      started = resolve;
    });
    const { gateway, upstream } = await gatewayOnRawUpstream((stream) => {
      stream.respond({ ":status": 200, "content-type": "application/grpc" });
      stream.write(Buffer.from([0, 0, 0, 0, 1, 0x78]));
      started();
    });
    const abort = new AbortController();
    const call = callGrpcWeb(gateway.url, "/S/M", hello, { signal: abort.signal });
    await callStarted;
    assert.equal(gateway.upstreamStats().openStreams, 1);
    abort.abort();
    await assert.rejects(call);
    await eventually(() => upstream.cancelled() === 1);
    await eventually(() => gateway.upstreamStats().openStreams === 0);
  });

  it("sends te: trailers, keeps metadata and drops hop-by-hop and browser-only headers", async () => {
    const { gateway, upstream } = await gatewayOnRawUpstream((stream) => answer(stream, []));
    await callGrpcWeb(gateway.url, "/pkg.Svc/Do?x=1", hello, {
      text: true,
      headers: {
        "x-user-agent": "grpc-web-javascript/0.1",
        "x-custom": "kept",
        authorization: "Bearer t",
        origin: "http://localhost:5173",
        referer: "http://localhost:5173/",
        "sec-fetch-mode": "cors",
        "keep-alive": "timeout=5",
        connection: "keep-alive, x-hop",
        "x-hop": "named in connection",
      },
    });
    const seen = upstream.calls[0] ?? {};
    assert.equal(seen.te, "trailers");
    assert.equal(seen[":method"], "POST");
    assert.equal(seen[":path"], "/pkg.Svc/Do?x=1");
    assert.equal(seen[":authority"], new URL(gateway.url).host);
    assert.equal(seen["content-type"], "application/grpc");
    assert.equal(seen["grpc-accept-encoding"], "identity");
    assert.equal(seen["x-user-agent"], "grpc-web-javascript/0.1");
    assert.equal(seen["x-custom"], "kept");
    assert.equal(seen.authorization, "Bearer t");
    for (const dropped of [
      "origin",
      "referer",
      "sec-fetch-mode",
      "keep-alive",
      "connection",
      "x-hop",
      "host",
      "x-grpc-web",
      "accept",
      "content-length",
    ]) {
      assert.equal(seen[dropped], undefined, dropped);
    }
  });

  it("accepts a chunked request body cut anywhere, in text mode too", async () => {
    const { gateway } = await gatewayOnRawUpstream(async (stream) => {
      const body = await readBody(stream);
      answer(stream, [body.subarray(5)]);
    });
    const message = Buffer.from("a message cut into odd pieces");
    const framed = Buffer.concat([Buffer.from([0, 0, 0, 0, message.length]), message]);
    const base64 = framed.toString("base64");
    const pieces = [1, 3, 2, 7, 5, 4].reduce<{ at: number; out: string[] }>(
      (state, size) => ({
        at: state.at + size,
        out: [...state.out, base64.slice(state.at, state.at + size)],
      }),
      { at: 0, out: [] },
    );
    pieces.out.push(base64.slice(pieces.at));
    const text = await callGrpcWeb(gateway.url, "/S/M", [], { text: true, body: pieces.out });
    assert.equal(text.status, 0, text.message);
    assert.deepEqual(text.messages, [message]);
    const binaryPieces = [framed.subarray(0, 2), framed.subarray(2, 6), framed.subarray(6)];
    const binary = await callGrpcWeb(gateway.url, "/S/M", [], { body: binaryPieces });
    assert.deepEqual(binary.messages, [message]);
  });

  it("relays 8 MiB of answers intact to a browser that stops reading for a while", async () => {
    const messages = Array.from({ length: 128 }, (_, index) => Buffer.alloc(65_536, index));
    const { gateway } = await gatewayOnRawUpstream((stream) => answer(stream, messages));
    const body = await new Promise<Buffer>((resolve, reject) => {
      const req = http.request(new URL("/S/M", gateway.url), {
        method: "POST",
        headers: { "content-type": "application/grpc-web+proto" },
      });
      req.on("response", (res) => {
        res.pause(); // the gateway must hold off (backpressure), not drop or buffer without bound
        const chunks: Buffer[] = [];
        setTimeout(() => {
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("end", () => resolve(Buffer.concat(chunks)));
          res.resume();
        }, 200);
      });
      req.on("error", reject);
      req.end(Buffer.from([0, 0, 0, 0, 0]));
    });
    const result = parseAnswer(200, { "content-type": "application/grpc-web+proto" }, body);
    assert.equal(result.status, 0);
    assert.equal(result.messages.length, 128);
    result.messages.forEach((message, index) => {
      assert.ok(message.equals(messages[index] as Buffer), `message ${index}`);
    });
  });

  it("relays a 3 MiB request to an upstream that reads slowly", async () => {
    const { gateway } = await gatewayOnRawUpstream(async (stream) => {
      stream.pause();
      await new Promise((resolve) => setTimeout(resolve, 100));
      stream.resume();
      const body = await readBody(stream);
      answer(stream, [Buffer.from(String(body.length))]);
    });
    const big = Buffer.alloc(3 * 1024 * 1024, 7);
    const result = await callGrpcWeb(gateway.url, "/S/M", [big], { text: true });
    assert.equal(result.status, 0, result.message);
    assert.equal(String(result.messages[0]), String(big.length + 5));
  });
});
