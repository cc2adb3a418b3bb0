// The page in Debian's Chromium against the real stack (server + gateway on ports they bind
// and report); each test opens the page afresh and depends on no other.
// Screenshots of each state land in web/test-output/ for a person to look at.
// With E2E_BASE_URL set (deploy's `npm run test:compose` points it at Envoy), the same tests
// run against that stack instead; the one that stops and restarts the server is skipped there.
import assert from "node:assert/strict";
import { after, afterEach, before, describe, it } from "node:test";
import type { Locator, Page } from "playwright-core";
import { launchBrowser, type TestBrowser } from "./support/browser.ts";
import { checkedScreenshot } from "./support/checked-screenshot.ts";
import { focusRing } from "./support/focus-ring.ts";
import { errorsBesides, gatewayDown } from "./support/network-faults.ts";
import { externalTeamsStack, startTeamsStack, type TeamsStack } from "./support/teams-stack.ts";

const waitMs = 10_000;
const externalUrl = process.env.E2E_BASE_URL;
const ownStackOnly = externalUrl ? `E2E_BASE_URL=${externalUrl}: not our server to stop` : false;

let stack: TeamsStack;
let browser: TestBrowser;
let page: Page;
/** Request headers of every gRPC-Web call the page made. */
const grpcWebCalls: Array<Record<string, string>> = [];

const city = (): Locator => page.getByRole("combobox", { name: "City" });
const result = (): Locator => page.getByRole("region", { name: "Result" });

const shot = (name: string): Promise<void> => checkedScreenshot(page, name);
const takeRefusedConnections = (): void =>
  assert.deepEqual(errorsBesides(browser, "ERR_CONNECTION_REFUSED"), [], "the page logged errors");

/** Loads the page and waits for the list of all teams to finish streaming; returns its size. */
async function open(): Promise<number> {
  await page.goto(stack.url);
  const count = page.getByRole("region", { name: "All teams" }).getByText(/^\d+ teams$/);
  await count.waitFor();
  return Number.parseInt((await count.textContent()) ?? "", 10);
}

async function lookUp(name: string): Promise<void> {
  await city().fill(name);
  await city().press("Enter");
}

describe("the Teams page in Chromium", { timeout: 120_000 }, () => {
  before(async () => {
    stack = externalUrl ? externalTeamsStack(externalUrl) : await startTeamsStack();
    browser = await launchBrowser();
    page = browser.page;
    page.setDefaultTimeout(waitMs);
    page.on("request", (request) => {
      if (new URL(request.url()).pathname.startsWith("/Teams/"))
        grpcWebCalls.push(request.headers());
    });
  });

  after(async () => {
    await browser?.close();
    await stack?.stop();
  });

  afterEach(() => {
    assert.deepEqual(browser.takeErrors(), [], "the page logged errors");
  });

  it("looks up Chicago, Philadelphia and Miami", async () => {
    await open();
    assert.equal(await city().evaluate((input) => input === document.activeElement), true);

    await lookUp("Chicago");
    await result().getByText("Jackals").waitFor();
    await shot("found-chicago");

    await lookUp("  PHILADELPHIA ");
    await result().getByText("Foxes").waitFor();
    assert.match((await result().textContent()) ?? "", /Philadelphia/);
    await shot("found-philadelphia");

    await lookUp("Miami");
    await result().getByText("not a member").waitFor();
    assert.match((await result().textContent()) ?? "", /Miami/);
    await shot("not-a-member-miami");
  });

  it("picks a suggestion with the keyboard", async () => {
    await open();
    await city().pressSequentially("s", { delay: 30 });
    await page.getByRole("option", { name: /Seattle/ }).waitFor();
    await city().pressSequentially("e", { delay: 30 });
    const options = page.getByRole("listbox", { name: "Suggested cities" }).getByRole("option");
    await page.getByRole("option", { name: /San Francisco/ }).waitFor({ state: "detached" });
    await page.getByRole("option", { name: /Seattle/ }).waitFor();
    assert.deepEqual(await options.allInnerTexts(), ["Seattle\nOrcas"]);

    await city().press("ArrowDown");
    const seattle = page.getByRole("option", { name: /Seattle/ });
    assert.equal(await seattle.getAttribute("aria-selected"), "true");
    assert.equal(
      await city().getAttribute("aria-activedescendant"),
      await seattle.getAttribute("id"),
    );
    assert.equal(await city().getAttribute("aria-expanded"), "true");
    await shot("suggestions");

    await city().press("Enter");
    await result().getByText("Orcas").waitFor();
    assert.equal(await city().inputValue(), "Seattle");
    assert.equal(await city().getAttribute("aria-expanded"), "false");
  });

  it("streams the list of all teams, and a click looks one up", async () => {
    const streamed = await open();
    const teams = page.getByRole("list", { name: "All teams" }).getByRole("button");
    assert.ok(
      streamed >= 10,
      `the server's directory has the tutorial's 10 teams, got ${streamed}`,
    );
    assert.equal(await teams.count(), streamed);
    assert.deepEqual((await teams.allInnerTexts()).slice(0, 2), [
      "Arizona\nRoadrunners",
      "Boston\nRevolutionaries",
    ]);
    await teams.filter({ hasText: "Boston" }).click();
    await result().getByText("Revolutionaries").waitFor();
    await shot("team-list");
  });

  it("shows keyboard focus on buttons and list rows at 3:1 contrast or more", async () => {
    await open();
    await city().press("Tab"); // a keyboard interaction: later focus shows :focus-visible
    const targets = {
      "Look up": page.getByRole("button", { name: "Look up" }),
      "a list row": page.getByRole("list", { name: "All teams" }).getByRole("button").first(),
    };
    for (const [name, target] of Object.entries(targets)) {
      const ring = await focusRing(target);
      assert.ok(ring.widthPx >= 2, `${name}: focus outline ${ring.widthPx}px`);
      assert.ok(ring.contrastWithWhite >= 3, `${name}: focus contrast ${ring.contrastWithWhite}`);
    }
    await shot("focus-on-list-row");
  });

  it("shows the server's field violation at the input", async () => {
    await open();
    await lookUp("   ");
    const alert = page.getByRole("alert");
    await alert.waitFor();
    assert.match((await alert.textContent()) ?? "", /^City must be 1 to 128 characters/);
    assert.equal(await city().getAttribute("aria-invalid"), "true");
    assert.match(
      (await city().getAttribute("aria-describedby")) ?? "",
      new RegExp(`${await alert.getAttribute("id")}`),
    );
    await shot("field-violation");
  });

  it("says the service is unreachable, then Retry works once it is back", {
    skip: ownStackOnly,
  }, async () => {
    await open();
    await stack.stopServer();
    await lookUp("Detroit");
    const alert = page.getByRole("alert");
    await alert.getByText("The Teams service is unreachable").waitFor();
    await shot("unreachable-server");

    await stack.startServer();
    await alert.getByRole("button", { name: "Retry" }).click();
    await result().getByText("Wheels").waitFor();
    assert.equal(await page.getByRole("alert").count(), 0);
    await shot("retried");
  });

  it("says the service is unreachable when the gateway is down, then Retry works", async () => {
    await open();
    const gatewayBack = await gatewayDown(page);
    await lookUp("Detroit");
    const alert = page.getByRole("alert");
    await alert.getByText("The Teams service is unreachable").waitFor();
    assert.doesNotMatch((await alert.textContent()) ?? "", /UNKNOWN|http status code/);
    await shot("unreachable-gateway");

    await gatewayBack();
    await alert.getByRole("button", { name: "Retry" }).click();
    await result().getByText("Wheels").waitFor();
    assert.equal(await page.getByRole("alert").count(), 0);
    takeRefusedConnections();
  });

  it("lists the calls it made, with their status", async () => {
    await open();
    const gatewayBack = await gatewayDown(page);
    await lookUp("Boston");
    await page.getByRole("alert").getByText("The Teams service is unreachable").waitFor();
    await gatewayBack();
    await lookUp("Detroit");
    await result().getByText("Wheels").waitFor();

    const calls = page.getByRole("table", { name: "gRPC-Web calls" });
    const rows = calls.getByRole("row");
    assert.match((await rows.nth(1).textContent()) ?? "", /GetTeam\s*city: "Detroit"\s*OK/);
    assert.match((await calls.textContent()) ?? "", /GetTeam\s*city: "Boston"\s*UNAVAILABLE/);
    await shot("call-panel");
    takeRefusedConnections();
  });

  it("sends every call as grpc-web-text with a deadline", async () => {
    grpcWebCalls.length = 0;
    await open();
    await lookUp("Chicago");
    await result().getByText("Jackals").waitFor();
    assert.ok(grpcWebCalls.length >= 2, `only ${grpcWebCalls.length} calls were seen`);
    for (const headers of grpcWebCalls) {
      assert.equal(headers["content-type"], "application/grpc-web-text");
      assert.match(headers["grpc-timeout"] ?? "", /^\d+m$/, "grpc-timeout in milliseconds");
      assert.match(headers.traceparent ?? "", /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    }
    const traceIds = new Set(grpcWebCalls.map((headers) => headers.traceparent?.split("-")[1]));
    assert.equal(traceIds.size, grpcWebCalls.length, "a fresh trace id per call");
  });

  it("fits a phone-sized screen", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await open();
    await lookUp("Los Angeles");
    await result().getByText("Pumas").waitFor();
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - window.innerWidth,
    );
    assert.equal(overflow, 0, "the page scrolls sideways on a phone");
    await shot("phone");
  });
});
