import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { noiseNote, resultsMarkdown } from "../src/report/results-markdown.ts";
import type { BenchResults, Sample } from "../src/results.ts";

const sample = (rps: number, loadgenCores?: number): Sample => ({
  rps,
  p50Ms: 0.5,
  p99Ms: 2,
  cpuPer10k: 1,
  peakRssMb: 60,
  errors: 0,
  loadgenCores,
});

const run: BenchResults = {
  mode: "full",
  command: "npm run bench",
  startedAt: "2026-01-01T00:00:00.000Z",
  finishedAt: "2026-01-01T00:10:00.000Z",
  machine: {
    cpus: 2,
    node: "v20",
    h2load: "h2load",
    loadBefore: [0.1, 0.1, 0.1],
    loadAfter: [1, 1, 1],
  },
  config: { concurrency: [64], repeats: 3, seconds: 4 },
  unary: {
    labels: {
      native: "our server, native gRPC",
      json: "JSON on node:http (REST)",
      "grpc-web-proxy": "@grpc-web/proxy",
    },
    points: [
      { system: "native", concurrency: 64, samples: [sample(1000), sample(1010), sample(990)] },
      {
        system: "json",
        concurrency: 64,
        samples: [sample(4000, 0.9), sample(4100, 0.95), sample(3900, 0.9)],
      },
    ],
    failures: [{ system: "grpc-web-proxy", error: "could not start: EADDRINUSE" }],
  },
  errors: [],
};

describe("resultsMarkdown", () => {
  it("shows the command, the targets table and a ratio against native from the same run", () => {
    const md = resultsMarkdown(run, "results-chart.svg");
    assert.match(md, /Produced by `npm run bench` \(full mode\)/);
    assert.match(md, /## Targets/);
    assert.match(md, /\| JSON on node:http \(REST\) \| 4,000 \(3,900–4,100\) \| 4\.00× \|/);
    assert.match(md, /!\[Unary GetTeam throughput\]\(results-chart\.svg\)/);
  });
  it("says in words what REST costs against gRPC, from the same run", () => {
    assert.match(
      resultsMarkdown(run),
      /plain JSON on node:http does 4\.00× native gRPC's throughput/,
    );
  });
  it("lists a peer that failed, with its error, instead of dropping it", () => {
    assert.match(resultsMarkdown(run), /- \*\*@grpc-web\/proxy\*\*: could not start: EADDRINUSE/);
  });
  it("warns when the load tool, not the system, may have been the limit", () => {
    assert.match(
      resultsMarkdown(run),
      /Load tool near its limit \(over 0\.75 of a core\) for: JSON on node:http/,
    );
  });
});

describe("noiseNote", () => {
  it("calls a quiet run quiet and a run with a 2x spread noisy", () => {
    assert.match(noiseNote(run), /quiet enough/);
    const noisy = structuredClone(run);
    noisy.unary?.points[0]?.samples.push(sample(500));
    assert.match(noiseNote(noisy), /spread of one unary point was 2\.02×.*\*\*Noisy run\*\*/);
  });
});
