// Upstream grpc-js defects the server works around (src/grpc-js-guards.ts), tested the way
// a client meets them: raw HTTP/2 requests and a native grpc-js client calling directly.
import assert from "node:assert/strict";
import http2 from "node:http2";
import { after, before, describe, it } from "node:test";
import { gzipSync } from "node:zlib";
import { Metadata, status } from "@grpc/grpc-js";
import { ListTeamsRequest, TeamRequest, TeamResponse } from "../src/gen/teams.ts";
import { clampTimeoutHeader, maxTimerMs } from "../src/grpc-js-guards.ts";
import { type RunningServer, startServer } from "../src/index.ts";
import { teamsClient } from "./support/teams-client.ts";
import { generatedTeams } from "./support/teams-files.ts";

const teamCount = 5000;
let server: RunningServer;
before(async () => {
  // Enough teams that a ListTeams spans many event-loop turns: a deadline grpc-js wrapped
  // negative (a 1 ms timer) always fires before the stream ends. Without the guard the
  // stream then stalls after a few messages and never ends: these tests fail by timeout.
  const teams = [...generatedTeams(teamCount - 1), { city: "Chicago", nickname: "Jackals" }];
  server = await startServer({ port: 0, host: "127.0.0.1", logLevel: "silent", teams });
});
after(() => server.forceShutdown());

type RawAnswer = { grpcStatus: number; grpcMessage: string; body: Buffer };

/** One call over a fresh HTTP/2 connection, with the headers and request frame given. */
function rawCall(path: string, headers: Record<string, string>, frame: Buffer): Promise<RawAnswer> {
  const session = http2.connect(`http://127.0.0.1:${server.port}`);
  return new Promise((resolve, reject) => {
    session.on("error", reject);
    const stream = session.request({
      ":method": "POST",
      ":path": path,
      "content-type": "application/grpc",
      te: "trailers",
      ...headers,
    });
    const chunks: Buffer[] = [];
    let head: http2.IncomingHttpHeaders = {};
    stream.on("response", (response) => {
      head = response;
    });
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    stream.on("trailers", (trailers) => {
      head = { ...head, ...trailers };
    });
    stream.on("error", reject);
    stream.on("close", () => {
      session.close();
      resolve({
        grpcStatus: Number(head["grpc-status"]),
        grpcMessage: decodeURIComponent(String(head["grpc-message"] ?? "")),
        body: Buffer.concat(chunks),
      });
    });
    stream.end(frame);
  });
}

/** A gRPC length-prefixed message: flag byte, 4-byte length, payload. */
function grpcFrame(payload: Uint8Array, compressedFlag: 0 | 1 = 0): Buffer {
  const header = Buffer.alloc(5);
  header.writeUInt8(compressedFlag, 0);
  header.writeUInt32BE(payload.length, 1);
  return Buffer.concat([header, payload]);
}

const chicago = new TeamRequest({ city: "Chicago" }).serialize();
const rawGetTeam = (headers: Record<string, string>, frame: Buffer) =>
  rawCall("/Teams/GetTeam", headers, frame);

function nicknameOf(answer: RawAnswer): string {
  return TeamResponse.deserialize(answer.body.subarray(5)).nickname;
}

describe("grpc-timeout of 2^31 ms or more", { timeout: 120_000 }, () => {
  for (const timeout of ["600H", "3000H", "2147484S", "99999999M", "99999999H"]) {
    it(`acts as a long deadline over raw HTTP/2: grpc-timeout ${timeout} runs to OK`, async () => {
      const everyTeam = new ListTeamsRequest({ prefix: "" }).serialize();
      const answer = await rawCall(
        "/Teams/ListTeams",
        { "grpc-timeout": timeout },
        grpcFrame(everyTeam),
      );
      assert.equal(answer.grpcStatus, status.OK, answer.grpcMessage);
      assert.ok(answer.body.length > teamCount * 5, `${answer.body.length} bytes`);
    });
  }

  it("acts as a long deadline for a native grpc-js client calling the server directly", async () => {
    const client = teamsClient(server.port);
    try {
      const deadline = Date.now() + 2 ** 31 + 60_000; // the client sends it as hours
      const team = await new Promise<TeamResponse>((resolve, reject) =>
        client.GetTeam(
          new TeamRequest({ city: "Chicago" }),
          new Metadata(),
          { deadline },
          (error, response) => (error || !response ? reject(error) : resolve(response)),
        ),
      );
      assert.equal(team.nickname, "Jackals");
      const cities: string[] = [];
      const stream = client.ListTeams(new ListTeamsRequest({ prefix: "" }), { deadline });
      for await (const response of stream) cities.push((response as TeamResponse).city);
      assert.equal(cities.length, teamCount);
    } finally {
      client.close();
    }
  });

  it("is clamped to the longest timer Node can hold, and left alone below it", () => {
    assert.equal(clampTimeoutHeader("3000H"), "2147483S");
    assert.equal(clampTimeoutHeader("99999999n"), "99999999n");
    assert.equal(clampTimeoutHeader("596H"), "596H"); // 2,145,600,000 ms: fits
    assert.ok(2_147_483 * 1000 <= maxTimerMs);
  });
});

describe("compressed flag without grpc-encoding", { timeout: 120_000 }, () => {
  it("is refused with INTERNAL naming the missing header", async () => {
    const answer = await rawGetTeam({}, grpcFrame(chicago, 1));
    assert.equal(answer.grpcStatus, status.INTERNAL);
    assert.match(answer.grpcMessage, /compressed flag.*grpc-encoding/);
  });

  it("is refused with grpc-encoding: identity too", async () => {
    const answer = await rawGetTeam({ "grpc-encoding": "identity" }, grpcFrame(chicago, 1));
    assert.equal(answer.grpcStatus, status.INTERNAL);
  });

  it("still accepts a gzip message that says so, and an uncompressed one", async () => {
    const gzip = await rawGetTeam({ "grpc-encoding": "gzip" }, grpcFrame(gzipSync(chicago), 1));
    assert.equal(gzip.grpcStatus, status.OK, gzip.grpcMessage);
    assert.equal(nicknameOf(gzip), "Jackals");
    const plain = await rawGetTeam({}, grpcFrame(chicago));
    assert.equal(plain.grpcStatus, status.OK);
  });
});
