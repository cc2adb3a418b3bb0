// Live updates in Chromium against the real stack: two pages (two browsers), one edits, the
// other watches (WatchTeams through the gateway). The server keeps its database and
// development key in a temporary DATA_DIR, where `npm run token` signs the test's token.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Page } from "playwright-core";
import { launchBrowser, type TestBrowser } from "./support/browser.ts";
import { checkedScreenshot } from "./support/checked-screenshot.ts";
import { developmentToken } from "./support/development-token.ts";
import { eventually } from "./support/eventually.ts";
import { gatewayRoutes } from "./support/gateway-routes.ts";
import {
  addTeam,
  callTable,
  connection,
  listed,
  openLive as openPage,
  remove,
  rename,
  row,
  signIn as signInWith,
} from "./support/live-page.ts";
import { errorsBesides } from "./support/network-faults.ts";
import { startTeamsStack, type TeamsStack } from "./support/teams-stack.ts";

const waitMs = 15_000;

let dataDir: string;
let stack: TeamsStack;
let editorBrowser: TestBrowser;
let watcherBrowser: TestBrowser;
let editor: Page;
let watcher: Page;
let token: string;

const openLive = (page: Page): Promise<void> => openPage(page, stack.url);
const signIn = (page: Page): Promise<void> => signInWith(page, token);

describe("live updates between two pages in Chromium", { timeout: 180_000 }, () => {
  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "teams-web-live-"));
    stack = await startTeamsStack({ serverEnv: { DATA_DIR: dataDir } });
    token = developmentToken(dataDir);
    [editorBrowser, watcherBrowser] = await Promise.all([launchBrowser(), launchBrowser()]);
    editor = editorBrowser.page;
    watcher = watcherBrowser.page;
    for (const page of [editor, watcher]) page.setDefaultTimeout(waitMs);
  });

  after(async () => {
    await Promise.all([editorBrowser?.close(), watcherBrowser?.close()]);
    await stack?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it("a team added, renamed and deleted in one page appears, changes and disappears in the other", async () => {
    await Promise.all([openLive(editor), openLive(watcher)]);
    await signIn(editor);

    await addTeam(editor, "Denver", "Nuggets");
    await row(watcher, "Denver").filter({ hasText: "Nuggets" }).waitFor();
    await checkedScreenshot(editor, "live-editor-signed-in");
    await checkedScreenshot(watcher, "live-watcher-added");

    await rename(editor, "Denver", "Rockies");
    await row(watcher, "Denver").filter({ hasText: "Rockies" }).waitFor();

    await remove(editor, "Denver");
    await row(watcher, "Denver").waitFor({ state: "detached" });
    assert.deepEqual(await listed(watcher), await listed(editor));
    assert.deepEqual(editorBrowser.takeErrors(), []);
    assert.deepEqual(watcherBrowser.takeErrors(), []);
  });

  it("after a server restart, the watching page shows every change made while it was away, once", async () => {
    await Promise.all([openLive(editor), openLive(watcher)]);
    await signIn(editor);

    await stack.stopServer();
    await connection(watcher, "reconnecting…").waitFor();
    await checkedScreenshot(watcher, "live-reconnecting");
    await stack.startServer();
    await eventually("the gateway routes calls to the restarted server", () =>
      gatewayRoutes(stack.url),
    );
    // The watcher stays away (offline) while the editor changes three teams.
    await watcher.context().setOffline(true);
    await addTeam(editor, "Austin", "Outlaws");
    await rename(editor, "Boston", "Minutemen");
    await remove(editor, "Detroit");

    await watcher.context().setOffline(false); // the online event: reconnect at once
    const caughtUp = async (page: Page): Promise<void> => {
      await row(page, "Austin").waitFor();
      await row(page, "Boston").filter({ hasText: "Minutemen" }).waitFor();
      await row(page, "Detroit").waitFor({ state: "detached" });
      await connection(page, "live").waitFor();
    };
    // The editor's own watch may still be waiting out its backoff after the restart.
    await Promise.all([caughtUp(watcher), caughtUp(editor)]);

    const shown = await listed(watcher);
    assert.deepEqual(shown, await listed(editor));
    assert.equal(new Set(shown).size, shown.length, "a team shown twice");
    // It resumed from the last version it had, rather than listing everything again.
    const calls = await callTable(watcher);
    assert.match(calls, /WatchTeams\s*prefix: "", since_version: [1-9]\d*/);
    assert.equal(calls.match(/since_version: 0(?!\d)/g)?.length, 1, "listed again from 0");
    await checkedScreenshot(watcher, "live-caught-up");
    assert.deepEqual(editorBrowser.takeErrors(), []);
    // Chromium logs each request the page made while offline; nothing else may show.
    assert.deepEqual(errorsBesides(watcherBrowser, "ERR_INTERNET_DISCONNECTED"), []);
  });
});
