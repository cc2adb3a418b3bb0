// Reads a V8 .cpuprofile (what `node --cpu-prof` writes) into the few lines a reader needs:
// where the process spent its time, by function (self and total) and by file. Pure, so
// test/cpu-profile-summary.test.ts pins it.

/** The parts of V8's Profile (Chrome DevTools protocol) this reads. */
export interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    children?: number[];
  }[];
  /** Microseconds, on the clock of the samples. */
  startTime: number;
  samples: number[];
  /** Microseconds since the previous sample, one per sample. */
  timeDeltas: number[];
}

export interface ProfileLine {
  /** `name file:line`, or the file alone for a by-file line. */
  what: string;
  /** Milliseconds in the function itself. */
  selfMs: number;
  /** Milliseconds with it anywhere on the stack (once per sample, recursion or not). */
  totalMs: number;
}

export interface ProfileSummary {
  /** Sampled time the process was not idle, in ms. */
  busyMs: number;
  functions: ProfileLine[];
  files: ProfileLine[];
}

// V8's pseudo-frames: (idle) is waiting for events, never work.
const idle = "(idle)";

/** Shortens a frame's URL to what a reader recognises: the path from the package or repo. */
export function shortFile(url: string): string {
  if (url === "") return "";
  const path = url.replace(/^file:\/\//, "");
  const modules = path.lastIndexOf("/node_modules/");
  if (modules >= 0) return path.slice(modules + "/node_modules/".length);
  const repo = /\/(gateway|server|bench|web|tools|client)\/src\//.exec(path);
  if (repo) return path.slice(repo.index + 1);
  return path;
}

function frameKey(frame: CpuProfile["nodes"][number]["callFrame"]): string {
  const file = shortFile(frame.url);
  const name = frame.functionName || "(anonymous)";
  return file === "" ? name : `${name} ${file}:${frame.lineNumber + 1}`;
}

function fileKey(frame: CpuProfile["nodes"][number]["callFrame"]): string {
  return shortFile(frame.url) || frame.functionName || "(anonymous)";
}

/**
 * Self and total time by function and by file, largest self time first. `include` picks the
 * samples by their time (µs, the profile's clock: CLOCK_MONOTONIC on Linux), e.g. a loaded window.
 */
export function summarizeProfile(
  profile: CpuProfile,
  include: (timeUs: number) => boolean = () => true,
): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) {
    for (const child of node.children ?? []) parent.set(child, node.id);
  }
  const functions = new Map<string, ProfileLine>();
  const files = new Map<string, ProfileLine>();
  const line = (table: Map<string, ProfileLine>, what: string): ProfileLine => {
    let entry = table.get(what);
    if (!entry) {
      entry = { what, selfMs: 0, totalMs: 0 };
      table.set(what, entry);
    }
    return entry;
  };
  let busyMs = 0;
  let at = profile.startTime;
  profile.samples.forEach((id, index) => {
    at += profile.timeDeltas[index] ?? 0;
    const node = byId.get(id);
    if (!node || node.callFrame.functionName === idle || !include(at)) return;
    // A sample stands for the time until the next one.
    const ms = (profile.timeDeltas[index + 1] ?? profile.timeDeltas[index] ?? 0) / 1000;
    busyMs += ms;
    line(functions, frameKey(node.callFrame)).selfMs += ms;
    line(files, fileKey(node.callFrame)).selfMs += ms;
    const seenFunctions = new Set<string>();
    const seenFiles = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)?.callFrame;
      if (!frame) break;
      seenFunctions.add(frameKey(frame));
      seenFiles.add(fileKey(frame));
    }
    for (const key of seenFunctions) line(functions, key).totalMs += ms;
    for (const key of seenFiles) line(files, key).totalMs += ms;
  });
  const bySelf = (a: ProfileLine, b: ProfileLine) => b.selfMs - a.selfMs;
  return {
    busyMs,
    functions: [...functions.values()].sort(bySelf),
    files: [...files.values()].sort(bySelf),
  };
}

/** A markdown table of the top `count` lines, each as a share of the busy time. */
export function profileTable(
  lines: readonly ProfileLine[],
  busyMs: number,
  count: number,
): string[] {
  const share = (ms: number) => `${((ms / busyMs) * 100).toFixed(1)}%`;
  return [
    "| self | total | where |",
    "|---:|---:|---|",
    ...lines
      .slice(0, count)
      .map((l) => `| ${share(l.selfMs)} | ${share(l.totalMs)} | \`${l.what}\` |`),
  ];
}
