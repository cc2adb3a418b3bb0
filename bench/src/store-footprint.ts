// `npm run bench:store -w bench -- [SIZE]`: the million-team figures of issue 14 alone, in a
// couple of minutes: for SQLite and then PostgreSQL (a throwaway cluster), the writes scenario's
// first half: ImportTeams of SIZE generated teams (default 1,000,000) over one client stream,
// the server restarted on that store (start-up, RSS at rest) and one ListTeams of all of it.
// Prints the Writes tables and the store targets; `npm run bench` measures the same in its run.
import { full } from "./config.ts";
import { checkTargets, goalText, measuredText, verdict } from "./report/targets.ts";
import { writesTables } from "./report/writes-markdown.ts";
import type { BenchResults } from "./results.ts";
import { runWrites } from "./scenarios/writes.ts";

const size = Number(process.argv[2] ?? 1_000_000);
const log = (line: string) =>
  process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);
const writes = await runWrites({ ...full, importTeams: size, repeats: 0 }, log);
const results = { config: full, writes, errors: [] } as unknown as BenchResults;
const tables = writesTables(results);
// The PutTeam table is the other half of the writes scenario: not measured here.
const end = tables.findIndex((line) => line.startsWith("### PutTeam"));
const targets = checkTargets(results).filter((check) => verdict(check) !== "not measured");
process.stdout.write(
  [
    ...tables.slice(0, end),
    "| Target | Goal | Measured | Verdict |",
    "|---|---|---|---|",
    ...targets.map((c) => `| ${c.target} | ${goalText(c)} | ${measuredText(c)} | ${verdict(c)} |`),
    "",
  ].join("\n"),
);
