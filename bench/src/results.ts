// The shape of one bench run: what main.ts writes to results.json and the report reads.

/** One timed run of one point. */
export interface Sample {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  /** CPU seconds per 10k calls, summed over every process of the system under test. */
  cpuPer10k: number;
  /** The same for the front process alone (the proxy's share, for rows through a proxy). */
  cpuPer10kFront?: number;
  /** Peak RSS of the process the load talks to, in MB (10^6 bytes). */
  peakRssMb: number;
  /** Calls that failed at the HTTP or socket level during the run. */
  errors: number;
  /** CPU the load generator itself used, in cores (1 = one core saturated); autocannon only. */
  loadgenCores?: number;
}

/** Repeated samples of one system at one concurrency. */
export interface Point {
  system: string;
  concurrency: number;
  samples: Sample[];
}

/** A system that could not be measured, with the error a reader needs. */
export interface Failure {
  system: string;
  error: string;
}

export interface UnaryResults {
  /** system id -> human label, in report order. */
  labels: Record<string, string>;
  points: Point[];
  failures: Failure[];
}

/** One ListTeams of a whole directory. */
export interface StreamSample {
  messagesPerSecond: number;
  seconds: number;
  messages: number;
  /** CPU seconds per 10k messages, every process of the path. */
  cpuPer10k: number;
  serverPeakRssMb: number;
  /** Server RSS just before the call (the loaded directory): the peak minus this is the stream's cost. */
  serverRssBeforeMb: number;
  gatewayPeakRssMb?: number;
  gatewayRssBeforeMb?: number;
}

export interface StreamRow {
  /** gateway-stalled: the client stops reading for `stallMs` after the first bytes. */
  path: "native" | "gateway" | "gateway-stalled";
  stallMs?: number;
  teams: number;
  samples: StreamSample[];
}

export interface GrowthRow {
  /** Absent in runs before both stores were measured (SQLite then). */
  store?: "sqlite" | "postgres";
  size: number;
  op: "GetTeam" | "ListTeams";
  concurrency: number;
  samples: Sample[];
}

/** One ImportTeams of a generated directory over one client stream. */
export interface ImportSample {
  teams: number;
  seconds: number;
  teamsPerSecond: number;
  created: number;
  rejected: number;
  /** Server CPU seconds per 10k teams imported (the client's are not counted). */
  cpuPer10k: number;
  serverRssBeforeMb: number;
  serverPeakRssMb: number;
}

/** The server restarted on the store an import filled, then one ListTeams of all of it. */
export interface StoreFootprint {
  teams: number;
  /** Spawn to the "listening" line (the server compiled to JavaScript, as production runs it). */
  startupMs: number;
  startupCpuSeconds: number;
  /** Peak RSS from start until the first call (VmHWM). */
  restRssMb: number;
  listMessages: number;
  listSeconds: number;
  /** Server CPU seconds per 10k teams streamed. */
  listCpuPer10k: number;
  listPeakRssMb: number;
}

/** Writes on one store: a bulk import, the server restarted on it, then PutTeam under load. */
export interface WriteRow {
  store: "sqlite" | "postgres";
  label: string;
  import?: ImportSample;
  footprint?: StoreFootprint;
  putConcurrency: number;
  /** PutTeam, each call a new team; one sample per repeat. */
  put: Sample[];
}

/** A steady write rate with every watcher open: what each received. */
export interface SustainedFanout {
  writesPerSecond: number;
  writes: number;
  /** Puts the least and the most served watcher received: both equal `writes` when none is lost or repeated. */
  fewestReceived: number;
  mostReceived: number;
  /** Events, over all watchers, not above the version before them. */
  outOfOrder: number;
  /** From the last write's answer until every watcher had every event. */
  drainMs: number;
  /** Watches that ended (maximum age, connection age, restart) and watched again. */
  resumes?: number;
  /**
   * Per write, ms from its PutTeam answer to the last watcher receiving it (negative when every
   * watcher had it before the writer had the answer): how far the slowest watcher falls behind.
   */
  lagMs?: { p50: number; p99: number; max: number };
  /** Writes whose last watcher received them more than 1 s after the answer. */
  writesLaggingOverSecond?: number;
  /** CPU µs per event delivered (one change to one watcher) while the writes were delivered. */
  cpuUsPerEvent?: { server: number; gateway: number; watchers: number };
}

/** WatchTeams fan-out through the gateway in text mode. */
export interface FanoutResults {
  watchers: number;
  writes: number;
  /** Per write: from the PutTeam call until the last watcher decoded its event. */
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** RSS growth per idle watcher (after its snapshot), KB of 10^3 bytes. */
  gatewayKbPerWatcher: number;
  serverKbPerWatcher: number;
  sustained?: SustainedFanout;
}

/** The unaffected browser beside `clients` stalled (never-reading) or cancelling browsers. */
export interface StalledPoint {
  kind: "stalled" | "cancelling";
  clients: number;
  getTeamP50Ms: number;
  getTeamP99Ms: number;
  listTeamsMs: number;
  /** Stalled: from opening them until every one was blocked upstream (its window full). */
  fillSeconds?: number;
}

/** One fast reader's ListTeams through a gateway with this per-stream window. */
export interface WindowCost {
  windowBytes: number;
  teams: number;
  /** One per repeat. */
  ms: number[];
}

/** Stalled readers and cancellation bursts (issue 13). */
export interface StalledResults {
  streamWindowBytes: number;
  /** Teams in the unaffected browser's ListTeams, and its GetTeam calls per point. */
  listed: number;
  getTeams: number;
  points: StalledPoint[];
  memory: {
    streams: number;
    gatewayRssBeforeMb: number;
    gatewayRssAfterMb: number;
    mbPerStalledStream: number;
    /** The gateway's own count (grpc_gateway_upstream_unread_bytes) ÷ streams. */
    unreadMbPerStream: number;
    fillSeconds: number;
  };
  /** The same ListTeams alone, by per-stream window: what a smaller window costs. */
  windowCost: WindowCost[];
}

export interface WebSize {
  files: { name: string; bytes: number; gzipBytes: number }[];
  built: boolean;
  note: string;
}

export interface BenchResults {
  mode: "full" | "quick";
  command: string;
  startedAt: string;
  finishedAt: string;
  machine: {
    cpus: number;
    node: string;
    h2load: string;
    loadBefore: number[];
    loadAfter: number[];
  };
  config: { concurrency: number[]; repeats: number; seconds: number };
  unary?: UnaryResults;
  streaming?: StreamRow[];
  growth?: GrowthRow[];
  web?: WebSize;
  writes?: WriteRow[];
  fanout?: FanoutResults;
  stalled?: StalledResults;
  /** Scenarios that errored: the run exits non-zero when this is not empty. */
  errors: { scenario: string; message: string }[];
}
