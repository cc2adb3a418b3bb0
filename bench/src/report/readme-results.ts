// The results section of bench/README.md, between its markers: the latest full run's targets
// and its top-concurrency table, rewritten by each full `npm run bench`. The landing README
// links here instead of quoting it.
import type { BenchResults } from "../results.ts";
import { cpuSplitTable } from "./cpu-split.ts";
import { targetsTable, unaryTable } from "./results-markdown.ts";

/** The README (relative to bench/) that quotes the latest full run. */
export const readmeWithResults = "README.md";
export const resultsStart = "<!-- results:start -->";
export const resultsEnd = "<!-- results:end -->";

/** The command, the targets and the table at the highest concurrency. */
export function readmeResults(r: BenchResults): string {
  const top = Math.max(...r.config.concurrency);
  return [
    `Produced by \`${r.command}\` on ${r.startedAt.slice(0, 16)}Z (${r.machine.cpus} cores, load average before ${r.machine.loadBefore.map((v) => v.toFixed(2)).join(" / ")}).`,
    "",
    ...targetsTable(r).map((line) => line.replace(/^## /, "### ")),
    ...unaryTable(r, top).map((line) => line.replace(/^### /, "#### ")),
    ...cpuSplitTable(r, top),
  ].join("\n");
}

/** `text` with `section` between the markers; unchanged when it has no pair of markers. */
export function replaceResultsSection(text: string, section: string): string {
  const start = text.indexOf(resultsStart);
  const end = text.indexOf(resultsEnd);
  if (start < 0 || end < start) return text;
  return `${text.slice(0, start)}${resultsStart}\n${section}\n${text.slice(end)}`;
}
