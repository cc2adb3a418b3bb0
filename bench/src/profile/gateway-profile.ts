// `npm run bench:gateway-profile`: the gateway's cost per call, alone. Starts one server and
// one gateway per --root (this checkout by default; another checkout such as round one's to
// compare), loads each gateway with autocannon as the unary scenario does (binary gRPC-Web,
// HTTP/1.1, concurrency 64), interleaving the gateways so a noisy machine hurts all alike, and
// prints req/s, gateway and server CPU s per 10k calls and their ratio, and native gRPC to the
// same server for the ratio to native. The minimal Node relay (targets/node-relay-floor.ts, of
// this checkout) runs in the same rotation in front of the first server: what any Node relay
// costs per call, beside each gateway's. With --cpu-prof each gateway runs under
// `node --cpu-prof`, and the top costs of the loaded window are printed as markdown.
//
//   npm run bench:gateway-profile -- [--seconds=10] [--concurrency=64] [--repeats=3]
//     [--text] [--cpu-prof] [--root=DIR ...] (DIR: a checkout, relative to where npm ran) [--own-servers] [--top=25]

import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { getTeamBody, getTeamPath, type Protocol } from "../load/protocols.ts";
import { type LoadTarget, measurePoint, runLoad } from "../measure-point.ts";
import { benchRoot, repoRoot } from "../paths.ts";
import type { Sample } from "../results.ts";
import { type Listener, startListener } from "../spawn-listener.ts";
import { median, ratio } from "../stats.ts";
import { probeCity } from "../systems.ts";
import { type CpuProfile, profileTable, summarizeProfile } from "./cpu-profile-summary.ts";

interface Args {
  seconds: number;
  concurrency: number;
  repeats: number;
  protocol: Protocol;
  cpuProf: boolean;
  roots: string[];
  ownServers: boolean;
  top: number;
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = {
    seconds: 10,
    concurrency: 64,
    repeats: 3,
    protocol: "grpc-web",
    cpuProf: false,
    roots: [],
    ownServers: false,
    top: 25,
  };
  const number = (arg: string) => {
    const value = Number(arg.slice(arg.indexOf("=") + 1));
    if (!Number.isFinite(value) || value <= 0)
      throw new Error(`${arg}: expected a positive number`);
    return value;
  };
  for (const arg of argv) {
    if (arg.startsWith("--seconds=")) args.seconds = number(arg);
    else if (arg.startsWith("--concurrency=")) args.concurrency = number(arg);
    else if (arg.startsWith("--repeats=")) args.repeats = number(arg);
    else if (arg.startsWith("--top=")) args.top = number(arg);
    else if (arg.startsWith("--root="))
      args.roots.push(resolve(process.env.INIT_CWD ?? ".", arg.slice(7)));
    else if (arg === "--text") args.protocol = "grpc-web-text";
    else if (arg === "--cpu-prof") args.cpuProf = true;
    else if (arg === "--own-servers") args.ownServers = true;
    else {
      throw new Error(
        `unknown argument "${arg}"; use --seconds=N --concurrency=N --repeats=N --text --cpu-prof --root=DIR --own-servers --top=N`,
      );
    }
  }
  if (args.roots.length === 0) args.roots.push(repoRoot);
  return args;
}

/** A bench target of the checkout at `root`, under Node with tsx (and extra Node flags). */
function startTarget(
  root: string,
  file: string,
  env: Record<string, string>,
  nodeFlags: string[] = [],
): Promise<Listener> {
  return startListener({
    name: `${root}: ${file}`,
    command: process.execPath,
    args: [...nodeFlags, "--import", "tsx", join(root, "bench", "src", "targets", file)],
    env,
    cwd: join(root, "bench"),
    startTimeoutMs: 60_000,
  });
}

interface Path {
  /** The checkout whose gateway this is, or the relay floor's label. */
  root: string;
  server: Listener;
  gateway: Listener;
  profileDir?: string;
  samples: Sample[];
  /** CLOCK_MONOTONIC µs (what V8's profile timestamps count) of each measured window. */
  windows: [number, number][];
}

const outDir = join(benchRoot, "out", "gateway-profile");
const nowUs = () => Number(process.hrtime.bigint() / 1000n);

function target(protocol: Protocol, port: number): LoadTarget {
  return { protocol, port, path: getTeamPath(protocol), body: getTeamBody(protocol, probeCity) };
}

/** The minimal Node relay of this checkout in front of `server`, warmed up. */
async function startRelayFloor(server: Listener, args: Args): Promise<Path> {
  const profileDir = args.cpuProf ? join(outDir, "relay-floor") : undefined;
  if (profileDir) {
    rmSync(profileDir, { recursive: true, force: true });
    mkdirSync(profileDir, { recursive: true });
  }
  const relay = await startTarget(
    repoRoot,
    "node-relay-floor.ts",
    { UPSTREAM: `127.0.0.1:${server.port}` },
    profileDir ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : [],
  );
  await runLoad(target(args.protocol, relay.port), args.concurrency, 2); // warm-up
  const root = "minimal Node relay (floor)";
  return { root, server, gateway: relay, profileDir, samples: [], windows: [] };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const paths: Path[] = [];
  const log = (line: string) => process.stderr.write(`${line}\n`);
  try {
    let shared: Listener | undefined;
    for (const [index, root] of args.roots.entries()) {
      const server =
        shared && !args.ownServers ? shared : await startTarget(root, "our-server.ts", {});
      shared ??= server;
      const profileDir = args.cpuProf ? join(outDir, `gateway-${index}`) : undefined;
      if (profileDir) {
        rmSync(profileDir, { recursive: true, force: true });
        mkdirSync(profileDir, { recursive: true });
      }
      const flags = profileDir ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : [];
      const gateway = await startTarget(
        root,
        "our-gateway.ts",
        { UPSTREAM: `127.0.0.1:${server.port}` },
        flags,
      );
      paths.push({ root, server, gateway, profileDir, samples: [], windows: [] });
      await runLoad(target(args.protocol, gateway.port), args.concurrency, 2); // warm-up
    }
    // Binary only: the floor frames no text mode.
    if (args.protocol === "grpc-web") paths.push(await startRelayFloor(shared as Listener, args));
    const natives: Sample[] = [];
    await runLoad(target("grpc", paths[0]?.server.port as number), args.concurrency, 2);
    for (let rep = 1; rep <= args.repeats; rep++) {
      for (const path of paths) {
        const from = nowUs();
        const sample = await measurePoint(
          target(args.protocol, path.gateway.port),
          [path.gateway.pid, path.server.pid],
          args.concurrency,
          args.seconds,
        );
        path.windows.push([from, nowUs()]);
        path.samples.push(sample);
        log(`run ${rep} ${path.root}: ${Math.round(sample.rps)} req/s`);
      }
      const native = paths[0]?.server as Listener;
      natives.push(
        await measurePoint(target("grpc", native.port), [native.pid], args.concurrency, 5),
      );
    }
    const nativeRps = median(natives.map((s) => s.rps));
    const nativeCpu = median(natives.map((s) => s.cpuPer10k));
    const lines = [
      `${args.protocol} at c=${args.concurrency}, ${args.repeats} × ${args.seconds} s per gateway, interleaved; medians.`,
      `Native gRPC to the first server (5 s runs): ${Math.round(nativeRps)} req/s, ${nativeCpu.toFixed(2)} CPU s/10k.`,
      "",
      "| gateway of | req/s | vs native | gateway CPU s/10k | server CPU s/10k | gateway ÷ server |",
      "|---|---:|---:|---:|---:|---:|",
    ];
    for (const path of paths) {
      const rps = median(path.samples.map((s) => s.rps));
      const front = median(path.samples.map((s) => s.cpuPer10kFront ?? Number.NaN));
      const behind = median(path.samples.map((s) => s.cpuPer10k - (s.cpuPer10kFront ?? 0)));
      lines.push(
        `| ${path.root} | ${Math.round(rps)} | ${ratio(rps, nativeRps).toFixed(2)}× | ${front.toFixed(2)} | ${behind.toFixed(2)} | ${ratio(front, behind).toFixed(2)}× |`,
      );
    }
    process.stdout.write(`${lines.join("\n")}\n`);
  } finally {
    for (const path of paths) await path.gateway.stop(); // SIGTERM: the profile is written on exit
    await Promise.all([...new Set(paths.map((p) => p.server))].map((s) => s.stop()));
  }
  for (const path of paths) {
    if (!path.profileDir) continue;
    // CPU.<date>.<time>.<pid>.<thread>.<n>.cpuprofile: thread 0 is the main thread (tsx's
    // module loader runs in a worker thread that writes a profile of its own).
    const file = readdirSync(path.profileDir).find((f) => /^CPU\.\d+\.\d+\.\d+\.0\./.test(f));
    if (!file) continue;
    const profile = JSON.parse(readFileSync(join(path.profileDir, file), "utf8")) as CpuProfile;
    const inWindow = (us: number) => path.windows.some(([from, to]) => us >= from && us <= to);
    let summary = summarizeProfile(profile, inWindow);
    // Clocks not comparable after all: the whole profile, start-up and warm-up included.
    if (summary.busyMs === 0) summary = summarizeProfile(profile);
    const calls = path.samples.reduce((sum, s) => sum + s.rps * args.seconds, 0);
    // For comparing two runs function by function (µs per call): see the README.
    writeFileSync(join(path.profileDir, "summary.json"), JSON.stringify({ calls, ...summary }));
    process.stdout.write(
      [
        "",
        `### ${path.root}: ${join(path.profileDir, file)}`,
        `${summary.busyMs.toFixed(0)} ms busy in the loaded windows, about ${Math.round(calls)} calls (${((summary.busyMs / calls) * 1000).toFixed(1)} µs per call, profiler included).`,
        "",
        "By function:",
        "",
        ...profileTable(summary.functions, summary.busyMs, args.top),
        "",
        "By file:",
        "",
        ...profileTable(summary.files, summary.busyMs, Math.min(args.top, 15)),
        "",
      ].join("\n"),
    );
  }
}

await main();
