// The web scenario's table: the JavaScript the page downloads, per file and gzip total.
import type { BenchResults } from "../results.ts";
import { num } from "./format.ts";

export function webTable(r: BenchResults): string[] {
  if (!r.web) return [];
  if (r.web.files.length === 0)
    return ["## Web: JavaScript the page downloads", "", `Not measured: ${r.web.note}.`, ""];
  const total = r.web.files.reduce((a, f) => a + f.gzipBytes, 0);
  return [
    "## Web: JavaScript the page downloads",
    "",
    `${r.web.note}.`,
    "",
    "| File | bytes | gzip bytes |",
    "|---|---|---|",
    ...r.web.files.map((f) => `| ${f.name} | ${num(f.bytes)} | ${num(f.gzipBytes)} |`),
    `| **total** | ${num(r.web.files.reduce((a, f) => a + f.bytes, 0))} | **${num(total)}** |`,
    "",
  ];
}
