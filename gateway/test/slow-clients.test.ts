// Slow clients (slowloris): headers or body trickled byte by byte are cut off by
// the gateway's timeouts, and do not hold up anyone else. Small timeouts via
// options keep this fast; the defaults are in the README's config table.
import assert from "node:assert/strict";
import net from "node:net";
import { after, before, describe, it } from "node:test";
import { TeamRequest, TeamResponse } from "@teams/web/gen";
import { eventually } from "./support/eventually.ts";
import { callGrpcWeb } from "./support/grpc-web-request.ts";
import { startHeldCall } from "./support/held-call.ts";
import { startTeamsStack, type TeamsStack } from "./support/teams-stack.ts";

let stack: TeamsStack;
before(async () => {
  stack = await startTeamsStack({
    headersTimeoutMs: 600,
    requestTimeoutMs: 1200,
    bodyIdleTimeoutMs: 400,
  });
});
after(async () => {
  await stack.close();
});

const chicago = new TeamRequest({ city: "Chicago" }).serialize();

interface Trickle {
  /** Everything the gateway answered, once it closed the connection. */
  readonly answer: Promise<string>;
  stop(): void;
}

/** Sends `head` at once, then `rest` one byte every `everyMs`, never faster. */
function trickle(head: string, rest: string, everyMs: number): Trickle {
  const socket = net.connect(stack.gateway.port, "127.0.0.1");
  socket.on("error", () => {});
  let sent = 0;
  let timer: NodeJS.Timeout | undefined;
  socket.once("connect", () => {
    socket.write(head);
    timer = setInterval(() => {
      if (sent < rest.length && socket.writable) socket.write(rest[sent++] as string);
    }, everyMs);
  });
  const answer = new Promise<string>((resolve) => {
    let received = "";
    socket.on("data", (chunk: Buffer) => {
      received += chunk.toString("latin1");
    });
    socket.once("close", () => {
      clearInterval(timer);
      resolve(received);
    });
  });
  return { answer, stop: () => socket.destroy() };
}

const slowHeaders = "x-slow: ".padEnd(400, "a");

describe("slow clients", { timeout: 30_000 }, () => {
  it("cuts off clients trickling their headers (408), while normal calls go on", async () => {
    const slow = Array.from({ length: 20 }, () =>
      trickle("POST /Teams/GetTeam HTTP/1.1\r\nhost: localhost\r\n", slowHeaders, 50),
    );
    try {
      for (let index = 0; index < 10; index += 1) {
        const result = await callGrpcWeb(stack.gateway.url, "/Teams/GetTeam", [chicago]);
        assert.equal(result.status, 0, result.message);
        assert.equal(TeamResponse.deserialize(result.messages[0] as Buffer).nickname, "Jackals");
      }
      for (const answer of await Promise.all(slow.map((one) => one.answer))) {
        assert.match(answer, /^HTTP\/1\.1 408 Request Timeout\r\n/);
        assert.match(answer, /request not received in time/);
      }
    } finally {
      for (const one of slow) one.stop();
    }
  });

  it("cuts off a body trickled just fast enough to dodge the idle timeout, at the request timeout", async () => {
    const body = Buffer.from([0, 0, 0, 0, chicago.length, ...chicago]).toString("latin1");
    const slow = trickle(
      `POST /Teams/GetTeam HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/grpc-web+proto\r\ncontent-length: ${body.length}\r\n\r\n`,
      body,
      // One byte per 100 ms: 14 bytes would take 1.4 s, past the 1.2 s request timeout.
      100,
    );
    const normal = await callGrpcWeb(stack.gateway.url, "/Teams/GetTeam", [chicago]);
    assert.equal(normal.status, 0, normal.message);
    assert.match(await slow.answer, /^HTTP\/1\.1 408 Request Timeout\r\n/);
    await eventually(() => stack.gateway.upstreamStats().openStreams === 0);
  });

  it("ends a call whose body stalls with DEADLINE_EXCEEDED, naming the timeout", async () => {
    const stalled = startHeldCall(stack.gateway.url, "/Teams/GetTeam", chicago, { holdBody: 3 });
    const result = await stalled.result;
    assert.equal(result.status, 4);
    assert.match(
      result.message,
      /request body stalled: no bytes for 400 ms \(BODY_IDLE_TIMEOUT_MS\)/,
    );
    assert.equal(result.headers.connection, "close");
    await eventually(() => stack.gateway.upstreamStats().openStreams === 0);
    const after = await callGrpcWeb(stack.gateway.url, "/Teams/GetTeam", [chicago]);
    assert.equal(after.status, 0, after.message);
  });
});
