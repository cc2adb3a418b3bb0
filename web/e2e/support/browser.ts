import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium, type Page } from "playwright-core";

/** Debian's Chromium: `npx playwright install` cannot download browsers here. */
const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export interface TestBrowser {
  readonly page: Page;
  /** Console errors and uncaught page errors since the last call; the page must have none. */
  takeErrors(): string[];
  close(): Promise<void>;
}

/** Headless Chromium with a fresh profile, quiet (no background network) and disposable. */
export async function launchBrowser(): Promise<TestBrowser> {
  const profile = mkdtempSync(join(tmpdir(), "teams-web-e2e-"));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
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
      viewport: { width: 1200, height: 860 },
    });
  } catch (error) {
    rmSync(profile, { recursive: true, force: true });
    throw new Error(
      `cannot start Chromium at ${chromiumPath} (apt-get install chromium, or set CHROMIUM_PATH): ${(error as Error).message}`,
    );
  }
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(`console: ${message.text()}`);
  });
  page.on("pageerror", (error) => errors.push(`page error: ${error.message}`));
  return {
    page,
    takeErrors: () => errors.splice(0),
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
