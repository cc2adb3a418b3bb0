// A stalled reader holds only its own stream: browsers that stop reading a ListTeams
// answer pin at most one upstream stream window each in the gateway, their server stops
// sending to them, and another client's ListTeams of 5,000 teams still gets every team.
// (How long it takes beside them, against its time alone, is in `npm run bench`:
// the stalled scenario; tests assert no timings.)
import assert from "node:assert/strict";
import { once } from "node:events";
import http2, { type ClientHttp2Session, type ClientHttp2Stream } from "node:http2";
import { after, before, describe, it } from "node:test";
import { ListTeamsRequest } from "@teams/web/gen";
import type { Gateway } from "../src/index.ts";
import { defaultStreamWindowBytes } from "../src/upstream-pool/connect-session.ts";
import { eventually } from "./support/eventually.ts";
import { callGrpcWebH2 } from "./support/grpc-web-h2-request.ts";
import { requestBody } from "./support/grpc-web-request.ts";
import { useHttpsFixtures } from "./support/https-fixtures.ts";
import { startTeamsServer, type TeamsServer } from "./support/teams-server.ts";
import { closeTestGateways, startTestGateway } from "./support/test-gateway.ts";

const files = useHttpsFixtures();
const stalledReaders = 500;
/** Browsers open at most about 100 streams on one HTTP/2 connection. */
const streamsPerConnection = 100;
const directorySize = 20_000;
const listed = 5000;
/**
 * What one stalled stream may hold unread: its window, plus what Node's stream had already
 * taken into its read buffer (its 16 KiB highWaterMark) and given back to the server.
 */
const mostPinnedBytes = defaultStreamWindowBytes + 16 * 1024;

/**
 * Long names (~250 bytes a team), so filling a stalled stream's window costs the server few
 * messages; the whole directory (~5 MB) is far more than any window, so a stalled answer
 * can only stop at flow control.
 */
function longTeams(count: number): Array<{ city: string; nickname: string }> {
  return Array.from({ length: count }, (_, index) => ({
    city: `City ${String(index).padStart(7, "0")} `.padEnd(120, "c"),
    nickname: `Team ${index} `.padEnd(120, "n"),
  }));
}

let server: TeamsServer;
let gateway: Gateway;
const sessions: ClientHttp2Session[] = [];
before(async () => {
  server = await startTeamsServer({ teams: longTeams(directorySize) });
  gateway = await startTestGateway(`127.0.0.1:${server.port}`, { tls: files.tls() });
});
after(async () => {
  for (const session of sessions) session.destroy();
  await closeTestGateways();
  server.forceShutdown();
});

async function browserSession(): Promise<ClientHttp2Session> {
  // As a browser that stops reading a tab's answers: its window for them is used up at
  // once (0), so what the gateway cannot send piles up in the gateway, not here.
  const session = http2.connect(gateway.url, {
    ca: files.certs.caCert,
    settings: { initialWindowSize: 0 },
    peerMaxConcurrentStreams: streamsPerConnection,
  });
  sessions.push(session);
  await once(session, "connect");
  return session;
}

const listAll = requestBody([new ListTeamsRequest({ prefix: "" }).serialize()], false);

/** A ListTeams of the whole directory whose answer is never read. */
function stalledListTeams(session: ClientHttp2Session): ClientHttp2Stream {
  const stream = session.request({
    ":method": "POST",
    ":path": "/Teams/ListTeams",
    "content-type": "application/grpc-web+proto",
    "x-grpc-web": "1",
  });
  stream.pause();
  stream.on("error", () => {}); // reset when the test ends
  stream.end(listAll);
  return stream;
}

describe("stalled readers", { timeout: 300_000 }, () => {
  it(`${stalledReaders} never-reading ListTeams pin one stream window each; another ListTeams gets all ${listed}`, async () => {
    const stalled: ClientHttp2Stream[] = [];
    for (let opened = 0; opened < stalledReaders; opened += streamsPerConnection) {
      const session = await browserSession();
      for (let i = 0; i < streamsPerConnection; i += 1) stalled.push(stalledListTeams(session));
    }
    // Every stalled stream has used up its window upstream: the server can send it nothing
    // more. With no bound per stream (a huge window) this never happens: the server would
    // keep sending each one the whole directory.
    await eventually(
      () => gateway.upstreamStats().blockedStreams === stalledReaders,
      240_000,
    ).catch((error: Error) => {
      const { blockedStreams, unreadBytes, mostUnreadBytes } = gateway.upstreamStats();
      throw new Error(
        `${error.message}: ${blockedStreams} of ${stalledReaders} stalled streams blocked upstream; ${unreadBytes} bytes unread, at most ${mostUnreadBytes} on one`,
      );
    });
    const pinned = gateway.upstreamStats();
    assert.ok(
      pinned.mostUnreadBytes <= mostPinnedBytes,
      `one stalled stream holds ${pinned.mostUnreadBytes} bytes unread, more than its ${defaultStreamWindowBytes}-byte window and read buffer`,
    );
    assert.ok(pinned.unreadBytes <= stalledReaders * mostPinnedBytes);

    // Another browser's ListTeams, on a connection of its own, gets every team.
    const reader = http2.connect(gateway.url, { ca: files.certs.caCert });
    sessions.push(reader);
    const result = await callGrpcWebH2(reader, "/Teams/ListTeams", [
      new ListTeamsRequest({ prefix: "", limit: listed }).serialize(),
    ]);
    assert.equal(result.status, 0, result.message);
    assert.equal(result.messages.length, listed);
    // The stalled ones are still there, still holding no more than their window.
    assert.equal(gateway.upstreamStats().blockedStreams, stalledReaders);
    assert.ok(gateway.upstreamStats().mostUnreadBytes <= mostPinnedBytes);

    // Closing the stalled tabs frees their streams upstream.
    for (const stream of stalled) stream.close(http2.constants.NGHTTP2_CANCEL);
    await eventually(() => gateway.upstreamStats().openStreams === 0, 60_000);
  });
});
