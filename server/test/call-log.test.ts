// The call-log interceptor (src/call-log.ts): one line per call of every service, written
// once by the server instead of by each handler.
import assert from "node:assert/strict";
import { once } from "node:events";
import http2 from "node:http2";
import { after, before, describe, it } from "node:test";
import { Metadata, status } from "@grpc/grpc-js";
import { ListTeamsRequest, TeamRequest } from "../src/gen/teams.ts";
import { startServer } from "../src/index.ts";
import { Logger } from "../src/logger.ts";
import { checkHealth, healthClient } from "./support/health-client.ts";
import { getTeam, getTeamError, teamsClient } from "./support/teams-client.ts";
import { generatedTeams } from "./support/teams-files.ts";

type Line = Record<string, unknown>;
const lines: Line[] = [];
const logger = new Logger("debug", (line) => lines.push(JSON.parse(line) as Line));
let server: Awaited<ReturnType<typeof startServer>>;

/** Resolves with the first call line that matches, once the server has written it. */
async function callLine(match: (line: Line) => boolean): Promise<Line> {
  for (;;) {
    const line = lines.find((entry) => entry.msg === "call" && match(entry));
    if (line) return line;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

before(async () => {
  const teams = [...generatedTeams(20_000), { city: "Chicago", nickname: "Jackals" }];
  server = await startServer({ port: 0, host: "127.0.0.1", logger, teams });
});
after(() => server.forceShutdown());

describe("call log interceptor", { timeout: 30_000 }, () => {
  it("logs health checks too, with method, code, duration and peer", async () => {
    const client = healthClient(server.port);
    try {
      await checkHealth(client, "Teams");
      const line = await callLine((entry) => entry.method === "/grpc.health.v1.Health/Check");
      assert.equal(line.code, "OK");
      assert.equal(line.level, "info");
      assert.equal(typeof line.durationMs, "number");
      assert.match(String(line.peer), /127\.0\.0\.1:\d+/);
    } finally {
      client.close();
    }
  });

  it("logs the request's fields and the user agent, never the authorization header", async () => {
    const client = teamsClient(server.port);
    const metadata = new Metadata();
    metadata.set("authorization", "Bearer very-secret-token");
    try {
      await new Promise((resolve, reject) =>
        client.GetTeam(new TeamRequest({ city: "Chicago" }), metadata, (error, response) =>
          error ? reject(error) : resolve(response),
        ),
      );
      const line = await callLine((entry) => entry.method === "/Teams/GetTeam");
      assert.equal(line.code, "OK");
      assert.equal(line.city, "Chicago");
      assert.match(String(line.userAgent), /grpc-node-js/);
      assert.doesNotMatch(JSON.stringify(lines), /very-secret-token/);
    } finally {
      client.close();
    }
  });

  it("logs a cancelled stream as CANCELLED at warn, with the messages sent so far", async () => {
    const client = teamsClient(server.port);
    try {
      const call = client.ListTeams(new ListTeamsRequest({ prefix: "" }));
      call.on("error", () => {}); // CANCELLED, as asked
      await once(call, "data");
      call.pause();
      call.cancel();
      const line = await callLine((entry) => entry.method === "/Teams/ListTeams");
      assert.equal(line.code, status[status.CANCELLED]);
      assert.equal(line.level, "warn");
      assert.ok((line.sent as number) >= 1 && (line.sent as number) < 20_001, `sent ${line.sent}`);
    } finally {
      client.close();
    }
  });

  it("logs an expired deadline as DEADLINE_EXCEEDED", async () => {
    // Raw HTTP/2 with a grpc-timeout and a reader that stops after the first bytes. (A grpc-js
    // client cancels at its own deadline, which can reach the server just before the server's
    // deadline, and the line then says CANCELLED.)
    const earlier = new Set(lines); // earlier tests' ListTeams lines are not this call's
    const session = http2.connect(`http://127.0.0.1:${server.port}`);
    session.on("error", () => {});
    try {
      const request = new ListTeamsRequest({ prefix: "" }).serialize();
      const frame = Buffer.alloc(5 + request.length);
      frame.writeUInt32BE(request.length, 1);
      frame.set(request, 5);
      const stream = session.request({
        ":method": "POST",
        ":path": "/Teams/ListTeams",
        "content-type": "application/grpc",
        te: "trailers",
        "grpc-timeout": "300m",
      });
      stream.on("error", () => {}); // the server ends the stream at its deadline
      stream.end(frame);
      await once(stream, "data");
      stream.pause(); // the stream stalls on backpressure past the server's deadline
      // grpc-js queues its DEADLINE_EXCEEDED trailers behind the unread data, so the call ends
      // (and is logged) only when this reader gives up: as a client would, well after the
      // deadline. A cancel after the deadline is the deadline's doing.
      const giveUp = setTimeout(() => stream.close(http2.constants.NGHTTP2_CANCEL), 1_000);
      stream.on("close", () => clearTimeout(giveUp));
      const line = await callLine(
        (entry) => entry.method === "/Teams/ListTeams" && !earlier.has(entry),
      );
      assert.equal(line.code, "DEADLINE_EXCEEDED");
      assert.equal(line.level, "warn");
    } finally {
      session.destroy();
    }
  });

  it("at level warn, writes the failed calls' lines and not the OK ones", async () => {
    const warnLines: Line[] = [];
    const quiet = await startServer({
      port: 0,
      host: "127.0.0.1",
      logger: new Logger("warn", (line) => warnLines.push(JSON.parse(line) as Line)),
    });
    const client = teamsClient(quiet.port);
    try {
      await getTeam(client, "Chicago");
      await getTeamError(client, " ");
      await getTeam(client, "Boston");
      await quiet.shutdown(); // every call line is written by the time the drain ends
      const calls = warnLines.filter((line) => line.msg === "call");
      assert.equal(calls.length, 1, JSON.stringify(calls));
      assert.equal(calls[0]?.code, "INVALID_ARGUMENT");
      assert.equal(calls[0]?.level, "warn");
      assert.equal(calls[0]?.city, " ");
      assert.match(String(calls[0]?.userAgent), /grpc-node-js/);
    } finally {
      client.close();
      quiet.forceShutdown();
    }
  });
});
