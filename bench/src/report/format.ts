// Number formatting for the report tables: a median with its min–max, never more digits than
// the noise deserves.
import { type Spread, spread } from "../stats.ts";

/** Fixed digits, thousands separated; "–" for a missing value. */
export function num(value: number, digits = 0): string {
  if (!Number.isFinite(value)) return "–";
  return value.toLocaleString("en-US", {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

/** "median (min–max)", or just the value when there is a single run. */
export function spreadText(s: Spread, digits = 0): string {
  if (!Number.isFinite(s.median)) return "–";
  if (s.min === s.max) return num(s.median, digits);
  return `${num(s.median, digits)} (${num(s.min, digits)}–${num(s.max, digits)})`;
}

/** spreadText of one field over a list of samples. */
export function field<T>(samples: readonly T[], pick: (s: T) => number | undefined, digits = 0) {
  return spreadText(spread(samples.map((s) => pick(s) ?? Number.NaN)), digits);
}

/** Digits that keep latencies readable from microseconds to seconds. */
export function msDigits(ms: number): number {
  return ms < 1 ? 3 : ms < 10 ? 2 : 1;
}
