/** First retry after about this long; each failure in a row doubles it, up to the cap. */
const baseMs = 500;
const capMs = 15_000;

/**
 * How long to wait before reconnect attempt `attempt` (0 for the first): exponential with
 * "equal jitter", half fixed and half random, so pages cut off together by one server
 * restart do not all come back in the same instant, and no wait is ever zero.
 */
export function reconnectDelayMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** attempt);
  return ceiling / 2 + random() * (ceiling / 2);
}
