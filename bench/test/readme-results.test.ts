// `npm run bench` rewrites the results section of bench/README.md, and only that.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import {
  readmeWithResults,
  replaceResultsSection,
  resultsEnd,
  resultsStart,
} from "../src/report/readme-results.ts";

const repoFile = (path: string): string =>
  readFileSync(new URL(`../../${path}`, import.meta.url), "utf8");

describe("replaceResultsSection", () => {
  it("replaces what lies between the markers and keeps the rest", () => {
    const text = `# Bench\n\nintro\n\n${resultsStart}\nold\n${resultsEnd}\n\n## After\n`;
    assert.equal(
      replaceResultsSection(text, "new table"),
      `# Bench\n\nintro\n\n${resultsStart}\nnew table\n${resultsEnd}\n\n## After\n`,
    );
  });

  it("leaves a text without both markers as it is", () => {
    assert.equal(replaceResultsSection("no markers", "x"), "no markers");
    assert.equal(
      replaceResultsSection(`${resultsEnd} ${resultsStart}`, "x"),
      `${resultsEnd} ${resultsStart}`,
    );
  });

  it("finds one pair of markers in bench/README.md, where the results live", () => {
    const readme = repoFile(`bench/${readmeWithResults}`);
    assert.equal(readme.split(resultsStart).length, 2);
    assert.equal(readme.split(resultsEnd).length, 2);
  });

  it("is not quoted by the landing README, which links to it", () => {
    const landing = repoFile("README.md");
    assert.equal(landing.includes(resultsStart), false);
    assert.match(landing, /\(bench\/README\.md#latest-results\)/);
  });
});
