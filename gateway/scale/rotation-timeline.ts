// When a replica leaves and rejoins the gateway's rotation: the pool's state sampled every
// 10 ms, so the run can say how long after a kill the replica was out, and how long after
// its new process listened it took calls again.
import type { Gateway } from "../src/index.ts";

interface Sample {
  readonly at: number;
  readonly available: boolean;
  readonly calls: number;
}

export interface RotationTimeline {
  /** First moment at or after `from` when replica `index` was out of rotation. */
  outAfter(index: number, from: number): number | undefined;
  /** First moment at or after `from` when it was in rotation and had taken a new call. */
  inAfter(index: number, from: number): number | undefined;
  stop(): void;
}

export function sampleRotation(gateway: Gateway): RotationTimeline {
  const samples: Sample[][] = [];
  const timer = setInterval(() => {
    const at = performance.now();
    gateway.upstreamStats().endpoints.forEach((endpoint, index) => {
      samples[index] ??= [];
      samples[index].push({
        at,
        available: endpoint.healthy && !endpoint.ejected,
        calls: endpoint.calls,
      });
    });
  }, 10);
  const after = (index: number, from: number) =>
    (samples[index] ?? []).filter((sample) => sample.at >= from);
  return {
    outAfter: (index, from) => after(index, from).find((sample) => !sample.available)?.at,
    inAfter(index, from) {
      const since = after(index, from);
      const first = since[0];
      return since.find((sample) => sample.available && first && sample.calls > first.calls)?.at;
    },
    stop: () => clearInterval(timer),
  };
}
