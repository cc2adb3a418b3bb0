// Chromium, trusting a throwaway CA, opens a page the gateway serves over HTTPS and
// starts 20 ListTeams streams at once with fetch, reading each body as it streams.
// The upstream holds every stream open after its first message until the page itself
// has read the first message of all 20, so they can only all progress if the browser
// multiplexes them over HTTP/2: over HTTP/1.1 it would open six connections per origin
// and queue the rest. (Releasing on the upstream's count instead raced the page's reads.)
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { ServerHttp2Stream } from "node:http2";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { makeCertificates, type TestCertificates } from "@teams/tools/throwaway-ca";
import { ListTeamsRequest, TeamResponse } from "@teams/web/gen";
import { encodeEnvelope } from "../src/envelope.ts";
import type { Gateway } from "../src/index.ts";
import { parseAnswer, requestBody } from "./support/grpc-web-request.ts";
import { type RawUpstream, startRawUpstream } from "./support/raw-upstream.ts";
import { closeTestGateways, startTestGateway } from "./support/test-gateway.ts";
import { launchTrustingChromium, type TrustingChromium } from "./support/trusting-chromium.ts";

const streams = 20;
// If fewer than 20 streams ever arrive (HTTP/1.1 queueing), let the held ones finish
// after this long, so the test fails on its assertion instead of hanging.
const releaseAnywayMs = 10_000;

const webRoot = mkdtempSync(join(tmpdir(), "browser-h2-web-"));
writeFileSync(
  join(webRoot, "index.html"),
  '<!doctype html><title>Teams h2</title><script src="/streams.js"></script>',
);
// The page's script (CSP allows scripts from the page's own origin only): starts
// `count` ListTeams calls at once with fetch and reads each body as it streams,
// recording when each one's first bytes and its end arrive.
writeFileSync(
  join(webRoot, "streams.js"),
  `window.runStreams = async (count, body) => {
  const events = [];
  const call = async (index) => {
    const answer = await fetch("/Teams/ListTeams", {
      method: "POST",
      headers: {
        "content-type": "application/grpc-web-text",
        accept: "application/grpc-web-text",
        "x-grpc-web": "1",
      },
      body,
    });
    const reader = answer.body.getReader();
    const decoder = new TextDecoder();
    let text = "";
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (text === "") events.push({ call: index, kind: "first" });
      text += decoder.decode(value, { stream: true });
    }
    events.push({ call: index, kind: "end" });
    return { status: answer.status, contentType: answer.headers.get("content-type"), text };
  };
  const allStarted = new Promise((resolve) => {
    const check = () =>
      events.filter((event) => event.kind === "first").length === count ? resolve() : setTimeout(check, 5);
    check();
  });
  const answers = Promise.all(Array.from({ length: count }, (_, index) => call(index)));
  window.finishStreams = async () => {
    const done = await answers;
    const protocols = performance
      .getEntriesByType("resource")
      .filter((entry) => entry.name.endsWith("/Teams/ListTeams"))
      .map((entry) => entry.nextHopProtocol);
    const navigationProtocol = performance.getEntriesByType("navigation")[0].nextHopProtocol;
    return { events, answers: done, protocols, navigationProtocol, secure: window.isSecureContext };
  };
  // Resolves once every stream has shown its first message, or once they all ended
  // (the fallback release), whichever comes first.
  await Promise.race([allStarted, answers]);
};
`,
);

const held: ServerHttp2Stream[] = [];
let released = false;
let fallback: NodeJS.Timeout | undefined;

function message(call: number, part: string): Buffer {
  const team = new TeamResponse({ city: `City ${call}`, nickname: part, found: true });
  return encodeEnvelope(0, team.serialize());
}

/** The second message and the trailers: the end of a held stream. */
function finish(stream: ServerHttp2Stream): void {
  if (stream.destroyed) return;
  stream.write(message(held.indexOf(stream), "second"));
  stream.end();
}

function release(): void {
  released = true;
  clearTimeout(fallback);
  for (const stream of held) finish(stream);
}

let certs: TestCertificates;
let upstream: RawUpstream;
let gateway: Gateway;
let browser: TrustingChromium;

before(async () => {
  certs = makeCertificates(["localhost", "127.0.0.1"]);
  upstream = await startRawUpstream((stream) => {
    stream.respond(
      { ":status": 200, "content-type": "application/grpc" },
      { waitForTrailers: true },
    );
    stream.on("wantTrailers", () => stream.sendTrailers({ "grpc-status": "0" }));
    held.push(stream);
    stream.write(message(held.length - 1, "first"));
    if (released) finish(stream);
  });
  gateway = await startTestGateway(upstream.address, {
    webRoot,
    tls: { cert: certs.cert, key: certs.key },
  });
  browser = await launchTrustingChromium(certs.caCertPath);
});
after(async () => {
  clearTimeout(fallback);
  await browser?.close();
  await closeTestGateways();
  await upstream?.close();
  certs?.cleanup();
  rmSync(webRoot, { recursive: true, force: true });
});

interface PageOutcome {
  readonly events: { call: number; kind: "first" | "end" }[];
  readonly answers: { status: number; contentType: string; text: string }[];
  readonly protocols: string[];
  readonly navigationProtocol: string;
  readonly secure: boolean;
}

describe("Chromium over HTTPS (HTTP/2)", () => {
  it("keeps 20 ListTeams streams in progress at once on one h2 connection", async () => {
    const { page } = browser;
    const response = await page.goto(`${gateway.url}/`); // throws on an untrusted certificate
    assert.equal(response?.status(), 200);
    assert.equal(response?.headers()["strict-transport-security"], "max-age=31536000");

    fallback = setTimeout(release, releaseAnywayMs);
    const body = requestBody([new ListTeamsRequest({}).serialize()], true).toString();
    await page.evaluate(`runStreams(${streams}, ${JSON.stringify(body)})`);
    release(); // the page has read every stream's first message (or the fallback fired)
    const outcome = (await page.evaluate("finishStreams()")) as PageOutcome;

    assert.equal(outcome.secure, true, "the page is a secure context (CA trusted, no bypass)");

    const kinds = outcome.events.map((event) => event.kind);
    const lastFirst = kinds.lastIndexOf("first");
    const firstEnd = kinds.indexOf("end");
    assert.equal(kinds.filter((kind) => kind === "first").length, streams);
    assert.ok(
      lastFirst < firstEnd,
      `every stream had its first message before any ended; order: ${outcome.events
        .map((event) => `${event.kind}#${event.call}`)
        .join(" ")}`,
    );

    assert.equal(outcome.navigationProtocol, "h2");
    assert.deepEqual(outcome.protocols, Array(streams).fill("h2"));

    for (const answer of outcome.answers) {
      assert.equal(answer.status, 200);
      assert.equal(answer.contentType, "application/grpc-web-text+proto");
      const parsed = parseAnswer(
        answer.status,
        { "content-type": answer.contentType },
        Buffer.from(answer.text),
      );
      assert.equal(parsed.status, 0, parsed.message);
      assert.deepEqual(
        parsed.messages.map((bytes) => TeamResponse.deserialize(bytes).nickname),
        ["first", "second"],
      );
    }
    // The 20 browser streams became 20 streams on one upstream session, called as
    // plaintext HTTP/2 whatever scheme the browser used.
    assert.equal(upstream.sessions(), 1);
    assert.equal(upstream.calls.length, streams);
    for (const call of upstream.calls) {
      assert.equal(call[":scheme"], "http");
      assert.equal(call[":path"], "/Teams/ListTeams");
    }
  });
});
