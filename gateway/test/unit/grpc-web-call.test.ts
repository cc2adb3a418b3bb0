// The call logic in memory: a fake browser request and response, and a fake Upstream whose
// streams the test drives event by event. No sockets.
import assert from "node:assert/strict";
import { EventEmitter, once } from "node:events";
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from "node:http";
import { PassThrough } from "node:stream";
import { describe, it } from "node:test";
import { handleGrpcWebCall } from "../../src/call-to-upstream.ts";
import { encodeEnvelope } from "../../src/envelope.ts";
import type { Upstream, UpstreamStream } from "../../src/upstream.ts";
import { type GrpcWebResult, parseAnswer } from "../support/grpc-web-request.ts";
import { recordingLogger } from "../support/recording-logger.ts";

class FakeStream extends EventEmitter implements UpstreamStream {
  id: number | undefined = 1;
  rstCode: number | undefined;
  session = { destroyed: false, closed: false };
  destroyed = false;
  closed = false;
  readonly written: Buffer[] = [];
  ended = false;
  write(chunk: Buffer): boolean {
    this.written.push(chunk);
    return true;
  }
  end(): void {
    this.ended = true;
    this.emit("request-ended");
  }
  close(code?: number): void {
    this.closed = true;
    this.rstCode = code;
  }
  pause(): void {}
  resume(): void {}
  /** Answers: headers, the given data chunks, then trailers and the end. */
  answer(chunks: Buffer[], trailers: Record<string, string> | undefined): void {
    this.emit("response", { ":status": 200, "content-type": "application/grpc" });
    for (const chunk of chunks) this.emit("data", chunk);
    if (trailers) this.emit("trailers", trailers);
    this.emit("end");
  }
}

class FakeUpstream implements Upstream {
  readonly address = "fake:1";
  readonly opened: { headers: OutgoingHttpHeaders; stream: FakeStream }[] = [];
  readonly events = new EventEmitter();
  openStream(headers: OutgoingHttpHeaders): FakeStream {
    const stream = new FakeStream();
    this.opened.push({ headers, stream });
    this.events.emit("open", stream);
    return stream;
  }
}

/** A browser request and response pair in memory; `done` resolves with the parsed answer. */
function fakeExchange(body: Buffer) {
  const req = Object.assign(new PassThrough(), {
    url: "/Teams/GetTeam",
    method: "POST",
    httpVersionMajor: 1,
    complete: false,
    headers: { "content-type": "application/grpc-web+proto", host: "localhost" },
  });
  const chunks: Buffer[] = [];
  let status = 0;
  let headers: Record<string, string> = {};
  const res = Object.assign(new EventEmitter(), {
    req,
    headersSent: false,
    shouldKeepAlive: true,
    writeHead(code: number, values: Record<string, string>) {
      status = code;
      headers = values;
      res.headersSent = true;
      return res;
    },
    flushHeaders() {},
    write(chunk: Buffer) {
      chunks.push(Buffer.from(chunk));
      return true;
    },
    end() {
      res.emit("finish");
    },
    destroy() {
      res.emit("aborted");
    },
  });
  const done = new Promise<GrpcWebResult>((resolve) =>
    res.once("finish", () => resolve(parseAnswer(status, headers, Buffer.concat(chunks)))),
  );
  req.once("end", () => {
    req.complete = true;
  });
  req.end(body);
  return {
    req: req as unknown as IncomingMessage,
    res: res as unknown as ServerResponse,
    done,
  };
}

function startCall(upstream: FakeUpstream, body: Buffer) {
  const exchange = fakeExchange(body);
  handleGrpcWebCall(
    exchange.req,
    exchange.res,
    { text: false },
    {
      upstream,
      maxMessageBytes: 1024,
      bodyIdleTimeoutMs: 10_000,
      retryWindowMs: 2000,
      logger: recordingLogger(),
      corsHeaders: () => ({}),
    },
  );
  return exchange.done;
}

const request = encodeEnvelope(0, Buffer.from("request"));
const reply = encodeEnvelope(0, Buffer.from("reply"));

describe("a gRPC-Web call against an in-memory Upstream", () => {
  it("relays the request, then the answer's frames and trailers", async () => {
    const upstream = new FakeUpstream();
    const done = startCall(upstream, request);
    const stream = upstream.opened[0]?.stream as FakeStream;
    await once(stream, "request-ended");
    assert.deepEqual(Buffer.concat(stream.written), request);
    assert.equal(upstream.opened[0]?.headers[":path"], "/Teams/GetTeam");
    stream.answer([reply], { "grpc-status": "0" });
    const result = await done;
    assert.equal(result.status, 0);
    assert.deepEqual(result.messages.map(String), ["reply"]);
  });

  it("retries a refused stream on a new one, replaying the request", async () => {
    const upstream = new FakeUpstream();
    const done = startCall(upstream, request);
    const first = upstream.opened[0]?.stream as FakeStream;
    await once(first, "request-ended");
    first.rstCode = 7; // REFUSED_STREAM: the server never started the call
    const reopened = once(upstream.events, "open");
    first.emit("close");
    const [second] = (await reopened) as [FakeStream];
    assert.deepEqual(Buffer.concat(second.written), request, "replayed");
    second.answer([reply], { "grpc-status": "0" });
    assert.equal((await done).status, 0);
    assert.equal(upstream.opened.length, 2);
  });

  it("ends with a trailer at a frame boundary when the stream is reset mid-message", async () => {
    const upstream = new FakeUpstream();
    const done = startCall(upstream, request);
    const stream = upstream.opened[0]?.stream as FakeStream;
    stream.emit("response", { ":status": 200, "content-type": "application/grpc" });
    stream.emit("data", Buffer.concat([reply, reply.subarray(0, 4)]));
    stream.rstCode = 2; // INTERNAL_ERROR, the connection still up
    stream.emit("close");
    const result = await done; // parseAnswer fails on a trailer inside a frame
    assert.deepEqual(result.messages.map(String), ["reply"]);
    assert.equal(result.status, 13);
    assert.match(result.message, /reset the call/);
  });

  it("answers a bad frame from the browser INVALID_ARGUMENT, cancelling the stream", async () => {
    const upstream = new FakeUpstream();
    const bad = Buffer.from([0x40, 0, 0, 0, 1, 0]); // flags 0x40: not a gRPC-Web request frame
    const result = await startCall(upstream, bad);
    assert.equal(result.status, 3);
    assert.ok(
      upstream.opened.every(({ stream }) => stream.closed),
      "upstream stream cancelled",
    );
  });
});
