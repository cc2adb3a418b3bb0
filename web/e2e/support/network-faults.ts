import type { Page, Route } from "playwright-core";
import type { TestBrowser } from "./browser.ts";

/**
 * Every gRPC-Web request of the page fails as if nothing listened (the gateway is down: the
 * browser sees no HTTP response at all) until the returned function is called.
 */
export async function gatewayDown(page: Page): Promise<() => Promise<void>> {
  const refuse = (route: Route) => route.abort("connectionrefused");
  await page.route("**/Teams/**", refuse);
  return () => page.unroute("**/Teams/**", refuse);
}

/** The page's errors apart from Chromium's log line for each request a fault made fail. */
export function errorsBesides(browser: TestBrowser, netError: string): string[] {
  const expected = `console: Failed to load resource: net::${netError}`;
  return browser.takeErrors().filter((error) => error !== expected);
}
