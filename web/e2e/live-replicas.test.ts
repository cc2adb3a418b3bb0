// Live updates with three replicas behind the gateway on one PostgreSQL (`REPLICAS=3 npm start`
// with DATABASE_URL), in Chromium: pages watch until every replica holds a watch; a write
// through one replica reaches every page; then the replica the first page watches on is
// SIGKILLed, more is written while it is down, and that page resumes on another replica with
// every change, none twice. WATCH_POLL_MS is longer than the test, so a change reaches a page
// on another replica only by PostgreSQL's LISTEN/NOTIFY. Which replica holds which watch is
// read where an operator reads it: the gateway's open streams per endpoint and each
// replica's teams_watchers (the metrics `npm start` prints), and the process on the port.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { sampleValue, scrape } from "@teams/tools/prometheus-text";
import type { Page } from "playwright-core";
import { launchSeparatePages, type SeparatePages, type TestBrowser } from "./support/browser.ts";
import { developmentToken } from "./support/development-token.ts";
import { eventually } from "./support/eventually.ts";
import { listeningPid } from "./support/listening-pid.ts";
import {
  addTeam,
  callTable,
  connection,
  listed,
  openLive,
  remove,
  rename,
  row,
  signIn,
} from "./support/live-page.ts";
import { type Replica, type ReplicaStack, startReplicaStack } from "./support/replica-stack.ts";

const waitMs = 20_000;
/** Enough pages to land on three replicas in all but a vanishing share of runs. */
const maxPages = 10;

let stack: ReplicaStack;
let chromium: SeparatePages;
const browsers: TestBrowser[] = [];
/** The replica each page's watch went to, in the order the pages were opened. */
const placement: Replica[] = [];
let token: string;

const pages = (): Page[] => browsers.map((browser) => browser.page);

/** Streams the gateway has open to each replica, in replica order. */
async function gatewayStreams(): Promise<number[]> {
  const text = await scrape(stack.gatewayMetricsUrl);
  return stack.replicas.map(
    ({ endpoint }) =>
      sampleValue(text, "grpc_gateway_upstream_endpoint_open_streams", { endpoint }) ?? 0,
  );
}

/** Watches each replica serves, by its own count. */
function replicaWatchers(replicas: readonly Replica[]): Promise<number[]> {
  return Promise.all(
    replicas.map(async ({ metricsUrl }) => sampleValue(await scrape(metricsUrl), "teams_watchers")),
  ).then((values) => values.map((value) => value ?? 0));
}

const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);

/**
 * Waits until the gateway holds exactly `watches` streams and each replica but `unknown`
 * counts as many watchers as the gateway has streams to it (a health check or a unary call
 * in flight is a stream too, for a moment); returns the gateway's streams per replica.
 */
async function settledStreams(watches: number, unknown?: Replica): Promise<number[]> {
  const known = stack.replicas.filter((replica) => replica !== unknown);
  let streams: number[] = [];
  let watchers: number[] = [];
  await eventually(
    `${watches} watches`,
    async () => {
      [streams, watchers] = await Promise.all([gatewayStreams(), replicaWatchers(known)]);
      const perKnown = known.map((replica) => streams[stack.replicas.indexOf(replica)]);
      return sum(streams) === watches && perKnown.every((count, i) => count === watchers[i]);
    },
    { timeoutMs: waitMs, describe: () => `gateway ${streams}, replicas ${watchers}` },
  );
  return streams;
}

/** Opens one more page, waits until it is live, and returns the replica its watch went to. */
async function openWatchingPage(): Promise<Replica> {
  const before = await settledStreams(browsers.length);
  const browser = await chromium.newPage();
  browsers.push(browser);
  browser.page.setDefaultTimeout(waitMs);
  await openLive(browser.page, stack.url);
  const now = await settledStreams(browsers.length);
  const index = now.findIndex((count, i) => count === (before[i] ?? 0) + 1);
  return stack.replicas[index] as Replica;
}

describe("live updates across three replicas on PostgreSQL, in Chromium", {
  timeout: 300_000,
}, () => {
  before(async () => {
    stack = await startReplicaStack(3, { WATCH_POLL_MS: "600000" });
    token = developmentToken(stack.dataDir);
    chromium = await launchSeparatePages();
  });

  after(async () => {
    await chromium?.close();
    await stack?.stop();
  });

  it("pages watching on every replica all show a write made through one of them", async () => {
    while (placement.length < maxPages && new Set(placement).size < stack.replicas.length) {
      placement.push(await openWatchingPage());
    }
    const held = await replicaWatchers(stack.replicas);
    assert.ok(
      held.every((count) => count >= 1),
      `after ${browsers.length} pages, watchers per replica: ${held}`,
    );

    const editor = pages().at(-1) as Page;
    await signIn(editor, token);
    await addTeam(editor, "Albany", "Alphas");
    await addTeam(editor, "Anchorage", "Aurora");
    for (const page of pages()) {
      await row(page, "Albany").filter({ hasText: "Alphas" }).waitFor();
      await row(page, "Anchorage").waitFor();
    }
    for (const browser of browsers) assert.deepEqual(browser.takeErrors(), []);
  });

  it("SIGKILL the replica a page watches on: it resumes on another with every change, once", async () => {
    const killed = placement[0] as Replica;
    const [watcher, ...others] = browsers as [TestBrowser, ...TestBrowser[]];
    // The first page is the killed replica's only watch, so where it resumes is plain to see.
    const stayOpen = [watcher];
    for (const [index, browser] of others.entries()) {
      if (placement[index + 1] === killed) await browser.close();
      else stayOpen.push(browser);
    }
    browsers.splice(0, browsers.length, ...stayOpen);
    const editor = (browsers.at(-1) as TestBrowser).page;
    await signIn(editor, token);
    await settledStreams(browsers.length);

    const pid = listeningPid(killed.port);
    assert.ok(pid, `no process listens on ${killed.endpoint}`);
    process.kill(pid, "SIGKILL");
    // Written while it is down (the stack restarts it after a backoff, on the same port).
    await addTeam(editor, "Boise", "Bandits");
    await rename(editor, "Albany", "Aces");
    await remove(editor, "Anchorage");

    const caughtUp = async (page: Page): Promise<void> => {
      await row(page, "Boise").filter({ hasText: "Bandits" }).waitFor();
      await row(page, "Albany").filter({ hasText: "Aces" }).waitFor();
      await row(page, "Anchorage").waitFor({ state: "detached" });
      await connection(page, "live").waitFor();
    };
    await Promise.all(pages().map(caughtUp));
    const shown = await listed(watcher.page);
    assert.equal(new Set(shown).size, shown.length, `a team shown twice: ${shown}`);
    for (const page of pages()) assert.deepEqual(await listed(page), shown);

    // It resumed from the last version it had, rather than listing everything again…
    const calls = await callTable(watcher.page);
    assert.match(calls, /WatchTeams\s*prefix: "", since_version: [1-9]\d*/);
    assert.equal(calls.match(/since_version: 0(?!\d)/g)?.length, 1, "listed again from 0");
    // …on a replica that was not killed: the killed one (restarted by now, or not) has none.
    const streams = await settledStreams(browsers.length, killed);
    assert.equal(streams[stack.replicas.indexOf(killed)], 0, `streams per replica: ${streams}`);
    for (const browser of browsers) assert.deepEqual(browser.takeErrors(), []);
  });
});
