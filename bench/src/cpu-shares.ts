// Where a server's CPU goes under load, from `node --cpu-prof` profiles (see README.md,
// "Server hot path"): each sample's own function, grouped into parts of the stack, as a share
// of the busy (non-idle) samples of the last `seconds` before the profile ended.
//
// Shares survive a loaded machine where req/s do not. Node's HTTP/2 and grpc-js do the same
// work per call whatever our code does, so the ratio of their shares between two profiles
// estimates the ratio of CPU per call: the last row of the table.
//
// Usage: npx tsx bench/src/cpu-shares.ts [--seconds=9.5] DIR... (each DIR holds .cpuprofile files;
// the largest, the main thread's, is read).
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

type CallFrame = { functionName: string; url: string; lineNumber: number };
type Profile = {
  nodes: { id: number; callFrame: CallFrame }[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
};

/** Parts of the stack, first match wins. */
const groups: readonly [string, (frame: CallFrame) => boolean][] = [
  ["garbage collector", (f) => f.functionName === "(garbage collector)"],
  ["(program): V8 and native code", (f) => f.functionName === "(program)"],
  [
    "interceptors: call log, metrics, grpc-js ServerInterceptingCall",
    (f) =>
      /\/(call-log|observed-call|server-metrics|observed-store)\.ts/.test(f.url) ||
      f.url.includes("prom-client") ||
      // ServerInterceptingCall and its listener: the top of grpc-js's server-interceptors.js
      (f.url.includes("server-interceptors.js") && f.lineNumber < 330),
  ],
  ["protobuf (google-protobuf, gen/teams.ts)", (f) => /google-protobuf|gen\/teams\.ts/.test(f.url)],
  [
    "our handler and store read",
    (f) =>
      /server\/src\/|teams-service\.ts|directory\.ts/.test(f.url) ||
      /kysely|better-sqlite3|node_modules\/pg/.test(f.url),
  ],
  ["grpc-js", (f) => f.url.includes("@grpc/grpc-js")],
  ["node:http2", (f) => f.url.includes("http2")],
  ["other Node (streams, events, buffers, microtasks)", () => true],
];
const yardstick = ["grpc-js", "node:http2"];

function mainThreadProfile(dir: string): Profile {
  const files = readdirSync(dir)
    .filter((name) => name.endsWith(".cpuprofile"))
    .map((name) => join(dir, name));
  const largest = files.sort((a, b) => statSync(b).size - statSync(a).size)[0];
  if (!largest)
    throw new Error(`${dir}: no .cpuprofile file (run node with --cpu-prof-dir=${dir})`);
  return JSON.parse(readFileSync(largest, "utf8")) as Profile;
}

/** Busy samples per group in the last `seconds` (minus the final 0.3 s of shutdown). */
function shares(profile: Profile, seconds: number): Map<string, number> {
  const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const times: number[] = [];
  let at = profile.startTime;
  for (const delta of profile.timeDeltas) {
    at += delta;
    times.push(at);
  }
  const end = times.at(-1) ?? at;
  const counts = new Map<string, number>();
  let busy = 0;
  profile.samples.forEach((id, i) => {
    const time = times[i] ?? 0;
    if (time < end - (seconds + 0.3) * 1e6 || time > end - 0.3e6) return;
    const frame = frames.get(id);
    if (!frame || frame.functionName === "(idle)") return;
    const group = groups.find(([, matches]) => matches(frame))?.[0] ?? "other";
    counts.set(group, (counts.get(group) ?? 0) + 1);
    busy++;
  });
  return new Map([...counts].map(([group, count]) => [group, count / busy]));
}

const args = process.argv.slice(2);
const seconds = Number(args.find((a) => a.startsWith("--seconds="))?.slice(10) ?? 9.5);
const dirs = args.filter((a) => !a.startsWith("--"));
if (dirs.length === 0) throw new Error("usage: cpu-shares.ts [--seconds=9.5] DIR...");
const columns = dirs.map((dir) => shares(mainThreadProfile(dir), seconds));
const percent = (share: number | undefined) => `${((share ?? 0) * 100).toFixed(1)}%`;
const lines = [
  `| share of busy CPU | ${dirs.join(" | ")} |`,
  `|---|${dirs.map(() => "---:").join("|")}|`,
];
for (const [group] of groups) {
  lines.push(`| ${group} | ${columns.map((c) => percent(c.get(group))).join(" | ")} |`);
}
const base = columns.map((c) => yardstick.reduce((sum, group) => sum + (c.get(group) ?? 0), 0));
const first = base[0] ?? 1;
lines.push(
  `| CPU per call vs ${dirs[0]} (its ${yardstick.join(" + ")} share ÷ this one's) | ${base.map((b) => `${(first / b).toFixed(2)}×`).join(" | ")} |`,
);
process.stdout.write(`${lines.join("\n")}\n`);
