// Test support for Prometheus endpoints: scrape one, check the exposition with promtool
// (Debian's `prometheus` package), and read a sample's value by name and labels.
import { spawnSync } from "node:child_process";
import { requireCommand } from "./system-packages.ts";

/** The body of GET `url`; throws unless it answers 200. */
export async function scrape(url: string): Promise<string> {
  const response = await fetch(url);
  const text = await response.text();
  if (response.status !== 200) throw new Error(`GET ${url}: ${response.status} ${text}`);
  return text;
}

/** `promtool check metrics` on the exposition: its complaints, or "" when it passes. */
export function promtoolProblems(exposition: string): string {
  const result = spawnSync(requireCommand("promtool"), ["check", "metrics"], {
    input: exposition,
    encoding: "utf8",
  });
  return result.status === 0
    ? ""
    : `${result.stdout}${result.stderr}`.trim() || `exit ${result.status}`;
}

/**
 * The value of the sample `name{labels}` (exactly those labels, in any order), or undefined
 * when the exposition has no such sample.
 */
export function sampleValue(
  exposition: string,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  const wanted = Object.entries(labels)
    .map(([key, value]) => `${key}="${value}"`)
    .sort()
    .join(",");
  for (const line of exposition.split("\n")) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)/.exec(line);
    if (!match || match[1] !== name) continue;
    const have = (match[2] ?? "").match(/[\w]+="(?:[^"\\]|\\.)*"/g) ?? [];
    if ([...have].sort().join(",") === wanted) return Number(match[3]);
  }
  return undefined;
}

/** Every metric family the exposition declares (its `# TYPE` lines). */
export function metricFamilies(exposition: string): Set<string> {
  return new Set([...exposition.matchAll(/^# TYPE (\S+) /gm)].map((match) => match[1] as string));
}
