import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { seriousAxeViolations } from "./axe.ts";
import { repoRoot } from "./teams-stack.ts";

/** Where screenshots of each state land for a person to look at (git-ignored). */
export const screenshotDir = join(repoRoot, "web", "test-output");

/** Screenshots the page as `name`.png, after axe-core found no serious or critical violation. */
export async function checkedScreenshot(page: Page, name: string): Promise<void> {
  assert.deepEqual(await seriousAxeViolations(page), [], `accessibility of "${name}"`);
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });
}
