// Replica kills under load: every few seconds one replica (in turn) is SIGKILLed, its
// supervisor restarts it, and the kill's window is kept: from the signal until the
// gateway's pool had that replica out of rotation. A call that failed UNAVAILABLE, was
// running at the kill and started before the pool took the replica out may have been on
// it: the one failure the soak and the scale run allow, counted apart.
import type { ReplicaSet } from "../test/support/replica-set.ts";

export interface KillWindow {
  readonly replica: number;
  readonly killAt: number;
  /** When the pool had it out of rotation (or its new process listened, if never out). */
  readonly outAt: number;
  /** From the signal until the new process listened. */
  readonly downMs: number;
}

export interface TimedCall {
  readonly outcome: { readonly status: number };
  readonly startedAt: number;
  readonly endedAt: number;
}

export function onKilledReplica(
  call: TimedCall,
  windows: readonly Pick<KillWindow, "killAt" | "outAt">[],
): boolean {
  return (
    call.outcome.status === 14 &&
    windows.some((w) => call.startedAt <= w.outAt && call.endedAt >= w.killAt)
  );
}

/** Polls `inRotation()` (one flag per replica) until `condition` holds or `done` is set. */
async function waitRotation(
  inRotation: () => Promise<readonly boolean[]>,
  condition: (flags: readonly boolean[]) => boolean,
  done: () => boolean,
): Promise<void> {
  while (!done() && !condition(await inRotation()))
    await new Promise((resolve) => setTimeout(resolve, 20));
}

/** Kills replica 0, 1, 2, … every `everySeconds` until stopped; resolves with the windows. */
export function startReplicaKills(
  replicas: ReplicaSet,
  everySeconds: number,
  inRotation: () => Promise<readonly boolean[]>,
): { stop(): Promise<KillWindow[]> } {
  const windows: KillWindow[] = [];
  let running = true;
  let wake = (): void => {};
  const loop = (async () => {
    for (let kill = 0; running; kill += 1) {
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, everySeconds * 1000);
      });
      if (!running) break;
      const replica = kill % replicas.servers.length;
      const killAt = performance.now();
      let back = false;
      const restarted = replicas.restart(replica, "SIGKILL").finally(() => {
        back = true;
      });
      await waitRotation(
        inRotation,
        (flags) => flags[replica] === false,
        () => back,
      );
      const outAt = performance.now();
      const { downMs } = await restarted;
      windows.push({ replica, killAt, outAt, downMs });
      // The next kill only once this replica takes calls again: one replica down at a time.
      await waitRotation(
        inRotation,
        (flags) => flags[replica] === true,
        () => !running,
      );
    }
  })();
  return {
    async stop() {
      running = false;
      wake();
      await loop;
      return windows;
    },
  };
}
