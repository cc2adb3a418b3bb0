// Full and quick run settings. Full: every figure the issue asks for within ~10 minutes on
// 2 cores. Quick (CI): every scenario once, tiny, to keep the harness working, not to judge speed.

export interface BenchConfig {
  mode: "full" | "quick";
  concurrency: number[];
  repeats: number;
  /** Seconds of load per unary point. */
  seconds: number;
  /** Seconds of unmeasured load per system before its first point (JIT, connection pools). */
  warmupSeconds: number;
  streamTeams: number;
  /** How long the stalled-reader stream stops reading after its first bytes. */
  stallMs: number;
  growthSizes: number[];
  growthConcurrency: number;
  growthSeconds: number;
  /** Teams sent over one ImportTeams stream, per store. */
  importTeams: number;
  putConcurrency: number;
  /** WatchTeams streams through the gateway, and single writes timed across all of them. */
  fanoutWatchers: number;
  fanoutWrites: number;
  /** Then writes per second for this long, every event to every watcher counted. */
  fanoutRate: number;
  fanoutSustainSeconds: number;
  /** Stalled (never-reading) and cancelling browsers beside the unaffected one. */
  stalledClients: number[];
  /** Stalled streams held open to measure the gateway's memory. */
  stalledMemoryStreams: number;
  /** The unaffected browser's GetTeam calls per point, and its ListTeams' teams. */
  stalledGetTeams: number;
  stalledListed: number;
  /** Longest wait for the stalled streams' windows to fill (the server sends each one). */
  stalledTimeoutMs: number;
  /** Long-named teams (~250 bytes each) the stalled and cancelling browsers ask for. */
  stalledLongTeams: number;
  /** Per-stream windows a single fast reader's ListTeams is timed through. */
  stalledWindowsCompared: number[];
  /** Build web/ (vite) before measuring it; quick mode measures an existing web/dist only. */
  buildWeb: boolean;
}

export const full: BenchConfig = {
  mode: "full",
  concurrency: [1, 16, 64],
  repeats: 3,
  seconds: 4,
  warmupSeconds: 2,
  streamTeams: 1_000_000,
  stallMs: 3000,
  growthSizes: [10, 10_000, 1_000_000],
  growthConcurrency: 1,
  growthSeconds: 3,
  importTeams: 1_000_000,
  putConcurrency: 16,
  fanoutWatchers: 1000,
  fanoutWrites: 50,
  fanoutRate: 100,
  fanoutSustainSeconds: 30,
  stalledClients: [0, 100, 1000],
  stalledMemoryStreams: 2000,
  stalledGetTeams: 200,
  stalledListed: 5000,
  stalledTimeoutMs: 300_000,
  stalledLongTeams: 20_000,
  stalledWindowsCompared: [64 * 1024, 256 * 1024],
  buildWeb: true,
};

export const quick: BenchConfig = {
  mode: "quick",
  concurrency: [16],
  repeats: 1,
  seconds: 1,
  warmupSeconds: 0.5,
  streamTeams: 10_000,
  stallMs: 200,
  growthSizes: [10, 10_000],
  growthConcurrency: 1,
  growthSeconds: 1,
  importTeams: 10_000,
  putConcurrency: 16,
  fanoutWatchers: 50,
  fanoutWrites: 5,
  fanoutRate: 100,
  fanoutSustainSeconds: 1,
  stalledClients: [0, 20],
  stalledMemoryStreams: 100,
  stalledGetTeams: 20,
  stalledListed: 5000,
  stalledTimeoutMs: 60_000,
  stalledLongTeams: 2000,
  stalledWindowsCompared: [64 * 1024],
  buildWeb: false,
};
