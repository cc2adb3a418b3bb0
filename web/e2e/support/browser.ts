import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";

/** Debian's Chromium: `npx playwright install` cannot download browsers here. */
const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export interface TestBrowser {
  readonly page: Page;
  /** Console errors and uncaught page errors since the last call; the page must have none. */
  takeErrors(): string[];
  close(): Promise<void>;
}

const launchOptions = {
  executablePath: chromiumPath,
  headless: true,
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
};
const viewport = { width: 1200, height: 860 };

function cannotStart(error: unknown): Error {
  return new Error(
    `cannot start Chromium at ${chromiumPath} (apt-get install chromium, or set CHROMIUM_PATH): ${(error as Error).message}`,
  );
}

/** Headless Chromium with a fresh profile, quiet (no background network) and disposable. */
export async function launchBrowser(): Promise<TestBrowser> {
  const profile = mkdtempSync(join(tmpdir(), "teams-web-e2e-"));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, { ...launchOptions, viewport });
  } catch (error) {
    rmSync(profile, { recursive: true, force: true });
    throw cannotStart(error);
  }
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    page,
    takeErrors: watchErrors(page),
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * One headless Chromium whose pages each get a context of their own: no shared cookies,
 * storage or connections (Chromium allows six HTTP/1.1 connections per host and context, and
 * each page's watch holds one), so each page is as another person's browser, at a fraction
 * of a browser's cost.
 */
export interface SeparatePages {
  newPage(): Promise<TestBrowser>;
  close(): Promise<void>;
}

export async function launchSeparatePages(): Promise<SeparatePages> {
  let browser: Browser;
  try {
    browser = await chromium.launch(launchOptions);
  } catch (error) {
    throw cannotStart(error);
  }
  return {
    async newPage() {
      const context = await browser.newContext({ viewport });
      const page = await context.newPage();
      return { page, takeErrors: watchErrors(page), close: () => context.close() };
    },
    close: () => browser.close(),
  };
}

/** Collects the page's console errors and uncaught errors; returns "take them". */
function watchErrors(page: Page): () => string[] {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(`console: ${message.text()}`);
  });
  page.on("pageerror", (error) => errors.push(`page error: ${error.message}`));
  return () => errors.splice(0);
}
