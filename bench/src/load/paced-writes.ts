// Writes sent at a steady rate: the i-th is due `i / rate` seconds after the first.
import { setTimeout as sleep } from "node:timers/promises";

/** Resolves when the i-th write at `rate` per second, counted from `start` (performance.now()), is due. */
export async function dueAt(start: number, i: number, rate: number): Promise<void> {
  const wait = start + (i * 1000) / rate - performance.now();
  if (wait > 0) await sleep(wait);
}
