// What the browser sees when the upstream misbehaves, and how the gateway treats
// the upstream connection, against bare node:http2 servers (support/raw-upstream.ts).
import assert from "node:assert/strict";
import { once } from "node:events";
import http from "node:http";
import http2 from "node:http2";
import net, { type AddressInfo } from "node:net";
import { afterEach, describe, it } from "node:test";
import type { Gateway, GatewayOptions } from "../src/index.ts";
import { eventually } from "./support/eventually.ts";
import { refusingPort } from "./support/free-port.ts";
import { callGrpcWeb, parseAnswer } from "./support/grpc-web-request.ts";
import {
  answer,
  type RawUpstream,
  readBody,
  type StreamHandler,
  startRawUpstream,
} from "./support/raw-upstream.ts";
import { closeTestGateways, startTestGateway } from "./support/test-gateway.ts";

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  await closeTestGateways();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(
  handler: StreamHandler,
  options: Partial<GatewayOptions> = {},
): Promise<{ upstream: RawUpstream; gateway: Gateway }> {
  const upstream = await startRawUpstream(handler);
  cleanups.push(() => upstream.close());
  const gateway = await startTestGateway(upstream.address, {
    ...options,
  });
  return { upstream, gateway };
}

const hello = [Buffer.from("hello")];

describe("upstream answers", () => {
  for (const text of [false, true]) {
    it(`passes a trailers-only answer on as headers with an empty body (${text ? "text" : "binary"})`, async () => {
      const { gateway } = await setup((stream) => {
        stream.respond(
          {
            ":status": 200,
            "content-type": "application/grpc",
            "grpc-status": "5",
            "grpc-message": "no%20such%20team",
            "x-request-id": "r-1",
          },
          { endStream: true },
        );
      });
      const result = await callGrpcWeb(gateway.url, "/S/M", hello, { text });
      assert.equal(result.httpStatus, 200);
      assert.equal(result.headers["grpc-status"], "5");
      assert.equal(result.headers["grpc-message"], "no%20such%20team");
      assert.equal(result.headers["x-request-id"], "r-1");
      assert.equal(result.rawBody.length, 0);
      assert.equal(result.message, "no such team");
    });
  }

  it("streams each message to the browser as it arrives, not at the end", async () => {
    for (const text of [false, true]) {
      let firstSeen!: () => void;
      const seen = new Promise<void>((resolve) => {
        firstSeen = resolve;
      });
      const { gateway } = await setup((stream) => {
        stream.respond(
          { ":status": 200, "content-type": "application/grpc" },
          { waitForTrailers: true },
        );
        stream.on("wantTrailers", () => stream.sendTrailers({ "grpc-status": "0" }));
        stream.write(Buffer.from([0, 0, 0, 0, 3, 0x61, 0x62, 0x63]));
        // The second message waits for the browser to hold the first: buffering would stall here.
        const timeout = setTimeout(
          () => stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR),
          3000,
        );
        void seen.then(() => {
          clearTimeout(timeout);
          stream.end(Buffer.from([0, 0, 0, 0, 1, 0x64]));
        });
      });
      let received = Buffer.alloc(0);
      const result = await callGrpcWeb(gateway.url, "/S/M", hello, {
        text,
        onChunk: (chunk) => {
          received = Buffer.concat([received, chunk]);
          const bytes = text ? Buffer.from(received.toString(), "base64") : received;
          if (bytes.length >= 8) firstSeen();
        },
      });
      assert.equal(result.status, 0, result.message);
      assert.deepEqual(result.messages.map(String), ["abc", "d"]);
    }
  });

  it("turns a reset in mid-stream into a trailer frame the client can read", async () => {
    const { gateway } = await setup((stream) => {
      stream.respond({ ":status": 200, "content-type": "application/grpc" });
      stream.write(Buffer.from([0, 0, 0, 0, 2, 0x68, 0x69]), () =>
        setTimeout(() => stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR), 20),
      );
    });
    const result = await callGrpcWeb(gateway.url, "/S/M", hello);
    assert.deepEqual(result.messages.map(String), ["hi"]);
    assert.equal(result.trailers["grpc-status"], "13");
    assert.match(result.message, /reset or closed early/);
  });

  it("answers UNAVAILABLE when the upstream connection drops mid-stream", async () => {
    const { gateway, upstream } = await setup((stream) => {
      stream.respond({ ":status": 200, "content-type": "application/grpc" });
      stream.write(Buffer.from([0, 0, 0, 0, 1, 0x78]), () =>
        setTimeout(() => {
          for (const session of upstream.liveSessions()) session.destroy();
        }, 20),
      );
    });
    const result = await callGrpcWeb(gateway.url, "/S/M", hello, { text: true });
    assert.deepEqual(result.messages.map(String), ["x"]);
    assert.equal(result.status, 14, result.message);
  });

  it("answers INTERNAL when the upstream ends without trailers", async () => {
    const { gateway } = await setup((stream) => {
      stream.respond({ ":status": 200, "content-type": "application/grpc" });
      stream.end(Buffer.from([0, 0, 0, 0, 1, 0x78]));
    });
    const result = await callGrpcWeb(gateway.url, "/S/M", hello);
    assert.equal(result.status, 13);
    assert.match(result.message, /without trailers/);
  });

  it("maps a non-gRPC HTTP error to a gRPC status and keeps its body as the message", async () => {
    const { gateway } = await setup((stream) => {
      stream.respond({ ":status": 503, "content-type": "text/plain" });
      stream.end("upstream overloaded");
    });
    const result = await callGrpcWeb(gateway.url, "/S/M", hello);
    assert.equal(result.httpStatus, 200);
    assert.equal(result.status, 14);
    assert.match(result.message, /HTTP 503 .*upstream overloaded/);
  });

  it("passes -bin metadata through untouched and exposes it", async () => {
    const details = Buffer.from([0x08, 0x03, 0x12, 0x01, 0x78]).toString("base64");
    const { gateway } = await setup((stream) => {
      answer(
        stream,
        [],
        { "grpc-status": "3", "grpc-status-details-bin": details },
        { "x-trace-bin": "AAEC" },
      );
    });
    const result = await callGrpcWeb(gateway.url, "/S/M", hello, {
      headers: { origin: "http://localhost:5173" },
    });
    assert.equal(result.trailers["grpc-status-details-bin"], details);
    assert.equal(result.headers["x-trace-bin"], "AAEC");
    assert.match(String(result.headers["access-control-expose-headers"]), /x-trace-bin/);
  });
});

describe("upstream unreachable or silent", () => {
  it("answers UNAVAILABLE, not a hang, when nothing listens upstream", async () => {
    const port = await refusingPort();
    const gateway = await startTestGateway(`127.0.0.1:${port}`);
    for (const text of [false, true]) {
      const result = await callGrpcWeb(gateway.url, "/S/M", hello, { text });
      assert.equal(result.httpStatus, 200);
      assert.equal(result.status, 14, result.message);
      assert.match(result.message, /unavailable.*ECONNREFUSED/);
    }
  });

  it("enforces grpc-timeout itself: DEADLINE_EXCEEDED and the upstream stream reset", async () => {
    const { gateway, upstream } = await setup(() => {
      // Never answers, and ignores grpc-timeout.
    });
    const result = await callGrpcWeb(gateway.url, "/S/M", hello, {
      headers: { "grpc-timeout": "200m" },
    });
    assert.equal(result.status, 4);
    assert.match(result.message, /grpc-timeout 200m/);
    assert.equal(upstream.calls[0]?.["grpc-timeout"], "200m");
    await eventually(() => upstream.cancelled() === 1);
    assert.equal(gateway.upstreamStats().openStreams, 0);
  });

  it("drops a session whose keepalive pings go unanswered, failing its calls UNAVAILABLE", async () => {
    // A TCP server that accepts and never speaks HTTP/2.
    const sockets = new Set<net.Socket>();
    const blackHole = net.createServer((socket) => {
      sockets.add(socket);
      socket.on("error", () => {});
    });
    blackHole.listen(0, "127.0.0.1");
    await once(blackHole, "listening");
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          for (const socket of sockets) socket.destroy();
          blackHole.close(() => resolve());
        }),
    );
    const gateway = await startTestGateway(
      `127.0.0.1:${(blackHole.address() as AddressInfo).port}`,
      {
        keepaliveIntervalMs: 50,
        keepaliveTimeoutMs: 100,
      },
    );
    const result = await callGrpcWeb(gateway.url, "/S/M", hello);
    assert.equal(result.status, 14);
    assert.match(result.message, /keepalive/);
  });
});

describe("upstream connection", () => {
  it("multiplexes many calls over one HTTP/2 session", async () => {
    const { gateway, upstream } = await setup(async (stream) => {
      answer(stream, [await readBody(stream)]);
    });
    await Promise.all(Array.from({ length: 20 }, () => callGrpcWeb(gateway.url, "/S/M", hello)));
    for (let index = 0; index < 10; index += 1) await callGrpcWeb(gateway.url, "/S/M", hello);
    assert.equal(upstream.calls.length, 30);
    assert.equal(upstream.sessions(), 1);
    assert.equal(gateway.upstreamStats().sessionsOpened, 1);
  });

  it("opens a new session after GOAWAY and keeps serving", async () => {
    const { gateway, upstream } = await setup((stream) => answer(stream, [Buffer.from("ok")]));
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
    const { gateway, upstream } = await setup((stream) => {
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
    const { gateway, upstream } = await setup((stream) => answer(stream, []));
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
    const { gateway } = await setup(async (stream) => {
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
    const { gateway } = await setup((stream) => answer(stream, messages));
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
    const { gateway } = await setup(async (stream) => {
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
