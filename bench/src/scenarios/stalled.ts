// Stalled readers and cancellation bursts (issue 13): an unaffected browser's GetTeam p50/p99
// and ListTeams of `stalledListed` teams beside 0, 100 and 1,000 browsers whose ListTeams
// answers are never read, and beside as many cancelling theirs in one burst; then the
// gateway's memory with `stalledMemoryStreams` stalled streams. Every browser speaks gRPC-Web
// over HTTP/2 (TLS) to our gateway, as on an HTTPS page; the gateway is the one under test.
import { createWriteStream, readFileSync } from "node:fs";
import http2 from "node:http2";
import { join } from "node:path";
import { finished } from "node:stream/promises";
import { sampleValue, scrape } from "@teams/tools/prometheus-text";
import { makeCertificates } from "@teams/tools/throwaway-ca";
import type { BenchConfig } from "../config.ts";
import { generatedCity } from "../directory-file.ts";
import { connectBrowser, openCalls, timedCall } from "../load/h2-grpc-web.ts";
import { parseRssBytes } from "../proc-usage.ts";
import type { StalledPoint, StalledResults } from "../results.ts";
import { percentile } from "../stats.ts";
import { startOurServer } from "../systems.ts";
import { encodeListTeamsRequest, encodeTeamRequest } from "../teams-schema.ts";
import { startTlsGateway, type TlsGateway } from "../tls-gateway.ts";
import { fastReaderByWindow } from "./window-cost.ts";

const mb = 1_000_000;
/**
 * The gateway's per-stream window: its default (gateway/src/upstream-pool/connect-session.ts)
 * unless the bench runs with UPSTREAM_STREAM_WINDOW_BYTES (to compare windows).
 */
const windowBytes = Number(process.env.UPSTREAM_STREAM_WINDOW_BYTES) || 64 * 1024;
/** Long-named teams the stalled and cancelling browsers ask for: ~250 bytes each. */
const longPrefix = "Long ";

/**
 * The directory: `listed` ordinary teams (what the unaffected browser lists) and `longTeams`
 * with long names (~250 bytes each: 5 MB for 20,000, far more than any window), so a stalled answer stops only at flow control
 * and filling its window costs the server few messages.
 */
async function writeDirectory(path: string, listed: number, longTeams: number): Promise<void> {
  const out = createWriteStream(path);
  const teams = [
    ...Array.from({ length: listed }, (_, i) => ({
      city: generatedCity(i),
      nickname: `Team ${i}`,
    })),
    ...Array.from({ length: longTeams }, (_, i) => ({
      city: `${longPrefix}${String(i).padStart(7, "0")} `.padEnd(120, "c"),
      nickname: `Team ${i} `.padEnd(120, "n"),
    })),
  ];
  out.end(JSON.stringify(teams));
  await finished(out);
}

interface Setup extends TlsGateway {
  ca: Buffer;
}

/** What the unaffected browser sees: GetTeam one after another, then one ListTeams. */
async function unaffected(setup: Setup, config: BenchConfig) {
  const session = await connectBrowser(setup.url, { ca: setup.ca });
  try {
    const getTeam = encodeTeamRequest(generatedCity(0));
    const latencies: number[] = [];
    for (let i = 0; i < config.stalledGetTeams; i++) {
      const call = await timedCall(session, "/Teams/GetTeam", getTeam);
      if (call.grpcStatus !== "0") throw new Error(`GetTeam: grpc-status ${call.grpcStatus}`);
      latencies.push(call.ms);
    }
    const list = await timedCall(
      session,
      "/Teams/ListTeams",
      encodeListTeamsRequest("City ", config.stalledListed),
    );
    if (list.grpcStatus !== "0" || list.messages !== config.stalledListed) {
      throw new Error(
        `ListTeams: grpc-status ${list.grpcStatus}, ${list.messages} of ${config.stalledListed} teams`,
      );
    }
    return {
      getTeamP50Ms: percentile(latencies, 50),
      getTeamP99Ms: percentile(latencies, 99),
      listTeamsMs: list.ms,
    };
  } finally {
    session.destroy();
  }
}

/** The gateway's own count of streams blocked on flow control, and their unread bytes. */
async function upstreamFlow(setup: Setup): Promise<{ blocked: number; unreadBytes: number }> {
  const text = await scrape(setup.metricsUrl);
  const labels = { endpoint: setup.endpoint };
  return {
    blocked: sampleValue(text, "grpc_gateway_upstream_blocked_streams", labels) ?? 0,
    unreadBytes: sampleValue(text, "grpc_gateway_upstream_unread_bytes", labels) ?? 0,
  };
}

/** `count` ListTeams of the long-named teams whose answers this browser never reads. */
function unreadListings(setup: Setup, count: number) {
  return openCalls(
    setup.url,
    { ca: setup.ca, windowBytes: 0 },
    count,
    "/Teams/ListTeams",
    encodeListTeamsRequest(longPrefix, 0),
  );
}

/** `count` never-read ListTeams, open once every one is blocked upstream (its window full). */
async function stallReaders(setup: Setup, count: number, timeoutMs: number) {
  const started = performance.now();
  const calls = await unreadListings(setup, count);
  for (;;) {
    const flow = await upstreamFlow(setup);
    if (flow.blocked >= count)
      return { ...calls, fillSeconds: (performance.now() - started) / 1000, flow };
    if (performance.now() - started > timeoutMs) {
      calls.close();
      throw new Error(
        `${count} stalled readers: only ${flow.blocked} blocked upstream after ${timeoutMs} ms (${flow.unreadBytes} bytes unread)`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * `count` ListTeams that have started answering (headers in; unread, so each costs the server
 * at most its windows, as a stalled one does); cancel() resets them all at once.
 */
async function answeringCalls(setup: Setup, count: number) {
  const calls = await unreadListings(setup, count);
  await calls.answered;
  return {
    cancel: () => {
      for (const stream of calls.streams) stream.close(http2.constants.NGHTTP2_CANCEL);
    },
    close: calls.close,
  };
}

async function waitForIdle(setup: Setup): Promise<void> {
  const started = performance.now();
  while (performance.now() - started < 30_000) {
    const text = await scrape(setup.metricsUrl);
    if (
      (sampleValue(text, "grpc_gateway_upstream_endpoint_open_streams", {
        endpoint: setup.endpoint,
      }) ?? 0) === 0
    )
      return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("the gateway still had upstream streams open 30 s after the clients left");
}

export async function runStalled(
  config: BenchConfig,
  dataDir: string,
  log: (line: string) => void,
): Promise<StalledResults> {
  const file = join(dataDir, "stalled-directory.json");
  await writeDirectory(file, config.stalledListed, config.stalledLongTeams);
  const certs = makeCertificates(["127.0.0.1"]);
  const server = await startOurServer(file);
  const tls = await startTlsGateway(server.port, certs, windowBytes).catch(async (error) => {
    await server.stop();
    certs.cleanup();
    throw error;
  });
  let gateway = tls.listener;
  let setup: Setup = { ...tls, ca: certs.caCert };
  const points: StalledPoint[] = [];
  try {
    await unaffected(setup, config); // warm: JIT, the upstream session
    for (const clients of config.stalledClients) {
      const stalled =
        clients > 0 ? await stallReaders(setup, clients, config.stalledTimeoutMs) : undefined;
      const seen = await unaffected(setup, config);
      stalled?.close();
      points.push({ kind: "stalled", clients, ...seen, fillSeconds: stalled?.fillSeconds });
      log(
        `stalled: ${clients} stalled readers: GetTeam p50 ${seen.getTeamP50Ms.toFixed(1)} ms, p99 ${seen.getTeamP99Ms.toFixed(1)} ms, ListTeams ${config.stalledListed} in ${seen.listTeamsMs.toFixed(0)} ms${stalled ? ` (their windows filled in ${stalled.fillSeconds.toFixed(1)} s)` : ""}`,
      );
      await waitForIdle(setup);
    }
    for (const clients of config.stalledClients) {
      const burst = clients > 0 ? await answeringCalls(setup, clients) : undefined;
      burst?.cancel(); // the unaffected browser's calls start while the resets go out
      const seen = await unaffected(setup, config);
      burst?.close();
      points.push({ kind: "cancelling", clients, ...seen });
      log(
        `stalled: ${clients} cancelling at once: GetTeam p50 ${seen.getTeamP50Ms.toFixed(1)} ms, p99 ${seen.getTeamP99Ms.toFixed(1)} ms, ListTeams ${config.stalledListed} in ${seen.listTeamsMs.toFixed(0)} ms`,
      );
      await waitForIdle(setup);
    }
    // Memory on a fresh gateway: the points above grew its heap, which would hide the growth.
    await gateway.stop();
    const fresh = await startTlsGateway(server.port, certs, windowBytes);
    gateway = fresh.listener;
    setup = { ...fresh, ca: certs.caCert };
    await unaffected(setup, config); // warm
    const rss = () => parseRssBytes(readFileSync(`/proc/${gateway.pid}/status`, "utf8"));
    const before = rss();
    const n = config.stalledMemoryStreams;
    const held = await stallReaders(setup, n, config.stalledTimeoutMs);
    const after = rss();
    held.close();
    const memory = {
      streams: n,
      gatewayRssBeforeMb: before / mb,
      gatewayRssAfterMb: after / mb,
      mbPerStalledStream: (after - before) / n / mb,
      unreadMbPerStream: held.flow.unreadBytes / n / mb,
      fillSeconds: held.fillSeconds,
    };
    log(
      `stalled: ${n} stalled streams: gateway RSS ${memory.gatewayRssBeforeMb.toFixed(0)} -> ${memory.gatewayRssAfterMb.toFixed(0)} MB, ${memory.mbPerStalledStream.toFixed(3)} MB per stalled stream (${memory.unreadMbPerStream.toFixed(3)} MB unread upstream each)`,
    );
    const windowCost = await fastReaderByWindow(
      server.port,
      certs,
      config.stalledWindowsCompared,
      config.repeats,
      longPrefix,
      config.stalledLongTeams,
    );
    log(
      `stalled: one fast reader's ListTeams of ${config.stalledLongTeams} long teams: ${windowCost.map((c) => `window ${c.windowBytes} B ${c.ms.map((ms) => ms.toFixed(0)).join("/")} ms`).join(", ")}`,
    );
    return {
      streamWindowBytes: windowBytes,
      listed: config.stalledListed,
      getTeams: config.stalledGetTeams,
      points,
      memory,
      windowCost,
    };
  } finally {
    await gateway.stop();
    await server.stop();
    certs.cleanup();
  }
}
