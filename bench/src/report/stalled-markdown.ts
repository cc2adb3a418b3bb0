// The stalled-readers and cancellation-burst section of RESULTS.md (issue 13).
import type { BenchResults, StalledPoint } from "../results.ts";
import { spread } from "../stats.ts";
import { msDigits, num, spreadText } from "./format.ts";

function row(point: StalledPoint, alone: StalledPoint | undefined): string {
  const ratio = alone ? point.listTeamsMs / alone.listTeamsMs : Number.NaN;
  const fill = point.fillSeconds === undefined ? "–" : num(point.fillSeconds, 1);
  return `| ${point.kind} | ${num(point.clients)} | ${num(point.getTeamP50Ms, msDigits(point.getTeamP50Ms))} | ${num(point.getTeamP99Ms, msDigits(point.getTeamP99Ms))} | ${num(point.listTeamsMs)} | ${num(ratio, 2)} | ${fill} |`;
}

export function stalledTable(r: BenchResults): string[] {
  const s = r.stalled;
  if (!s) return [];
  const alone = (kind: StalledPoint["kind"]) =>
    s.points.find((p) => p.kind === kind && p.clients === 0);
  const m = s.memory;
  return [
    "## Stalled readers and cancellation bursts",
    "",
    `One unaffected browser (its own HTTP/2 connection to our gateway over TLS, gRPC-Web binary) makes ${num(s.getTeams)} GetTeam calls one after another, then a ListTeams of ${num(s.listed)} teams, ` +
      "beside N browsers whose ListTeams of long-named teams (~250 bytes each) is never read (a window of 0: their bytes stay in the gateway), " +
      "and beside N browsers whose ListTeams (the same, unread) have started answering and are all cancelled at once (RST_STREAM) just as the unaffected calls start. " +
      `Stalled: measured once every stalled stream is blocked upstream (the gateway's grpc_gateway_upstream_blocked_streams = N; "filled in" is how long the server took to fill their windows). Per-stream window ${num(s.streamWindowBytes)} bytes. ` +
      '"× alone" is the ListTeams time over the same row kind with N = 0 (the goal: at most 2).',
    "",
    "| Browsers | N | GetTeam p50 ms | p99 ms | ListTeams ms | × alone | filled in s |",
    "|---|---|---|---|---|---|---|",
    ...s.points.map((p) => row(p, alone(p.kind))),
    "",
    `Gateway memory with ${num(m.streams)} stalled streams: RSS ${num(m.gatewayRssBeforeMb)} MB before, ${num(m.gatewayRssAfterMb)} MB with them (windows filled in ${num(m.fillSeconds, 1)} s): ` +
      `**${num(m.mbPerStalledStream, 3)} MB per stalled stream**, of which ${num(m.unreadMbPerStream, 3)} MB unread upstream bytes (the bound: one window, ${num(s.streamWindowBytes / 1_000_000, 3)} MB, plus Node's 16 KiB read buffer).`,
    "",
    ...windowCostLines(s),
  ];
}

function windowCostLines(s: NonNullable<BenchResults["stalled"]>): string[] {
  if (s.windowCost.length === 0) return [];
  const teams = s.windowCost[0]?.teams ?? 0;
  return [
    `What the window costs one fast reader: a single ListTeams of ${num(teams)} long-named teams (~${num((teams * 250) / 1_000_000, 1)} MB) alone, through a fresh gateway with each per-stream window, interleaved (ms, median (min–max)):`,
    "",
    "| Per-stream window | ListTeams ms |",
    "|---|---|",
    ...s.windowCost.map(
      (c) => `| ${num(c.windowBytes / 1024)} KiB | ${spreadText(spread(c.ms))} |`,
    ),
    "",
  ];
}
