// The scale run's figures as the markdown of SCALE-RESULTS.md.
import { markdownTable } from "../soak/report.ts";
import type { Check } from "./scale-checks.ts";

export interface ReplicaEvent {
  readonly what: string;
  /** From the signal until the replica was out of rotation; undefined if it never was. */
  readonly outMs: number | undefined;
  /** From the signal until its new process listened. */
  readonly downMs: number;
  /** From then until the pool had it in rotation, taking calls. */
  readonly rejoinMs: number | undefined;
}

export interface ScaleFigures {
  readonly date: string;
  readonly durationSeconds: number;
  readonly machine: string;
  readonly calls: Record<string, { total: number; failedInFlight: number; failedOther: number }>;
  readonly failureKinds: Record<string, number>;
  readonly replicaEvents: readonly ReplicaEvent[];
  readonly watchers: ReadonlyArray<{ events: number; resumes: number; endings: string }>;
}

const ms = (value: number | undefined, never = "not within the run"): string =>
  value === undefined ? never : `${Math.round(value)} ms`;

export function scaleMarkdown(figures: ScaleFigures, checks: readonly Check[]): string {
  const lines = [
    "# Scale run: PostgreSQL, three replicas, the gateway's pool",
    "",
    `Written by \`npm run test:scale -- --duration ${figures.durationSeconds}\` on ${figures.date} UTC`,
    `(${figures.machine}). What the run does and how to read it: [README.md](README.md).`,
    "",
    `**${checks.every((check) => check.ok) ? "All checks passed" : "CHECKS FAILED"}.**`,
    "",
    markdownTable(
      ["check", "result", "detail"],
      checks.map((c) => [c.name, c.ok ? "ok" : "FAILED", c.detail]),
    ),
    "",
    "## Calls",
    "",
    markdownTable(
      ["call", "calls", "failed on the killed replica", "failed, other"],
      Object.entries(figures.calls).map(([kind, c]) => [
        kind,
        `${c.total}`,
        `${c.failedInFlight}`,
        `${c.failedOther}`,
      ]),
    ),
    "",
    "A call counts as failed on the killed replica when it ended UNAVAILABLE, was running at",
    "the SIGKILL, and started before the pool had that replica out of rotation.",
    "",
    "Failures by kind (status: message, numbers as N):",
    "",
    ...(Object.keys(figures.failureKinds).length === 0
      ? ["- none"]
      : Object.entries(figures.failureKinds).map(([kind, count]) => `- ${count} × ${kind}`)),
    "",
    "## Replicas",
    "",
    markdownTable(
      ["event", "out of rotation after", "new process listening after", "then back, taking calls"],
      figures.replicaEvents.map((e) => [
        e.what,
        ms(e.outMs, "never: retries carried its calls"),
        ms(e.downMs),
        ms(e.rejoinMs),
      ]),
    ),
    "",
    "## Watchers (gRPC-Web text mode through the gateway, resuming from their last version)",
    "",
    markdownTable(
      ["watcher", "changes delivered", "resumes", "how its watches ended"],
      figures.watchers.map((w, index) => [
        `${index + 1}`,
        `${w.events}`,
        `${w.resumes}`,
        w.endings || "never (until the run stopped it)",
      ]),
    ),
    "",
  ];
  return lines.join("\n");
}
