// Pings the store on a timer and reports each change between reachable and not, so
// health turns NOT_SERVING while the database is down and SERVING once it is back.
import type { TeamStore } from "./team-store.ts";

/** How often the database is pinged for health by default. */
export const defaultHealthCheckMs = 2000;

export function watchStoreHealth(
  store: TeamStore,
  intervalMs: number,
  onChange: (reachable: boolean, reason?: string) => void,
): { stop(): void } {
  let reachable = true;
  let pinging = false;
  const timer = setInterval(async () => {
    if (pinging) return;
    pinging = true;
    let now = true;
    let reason: string | undefined;
    try {
      await store.ping();
    } catch (error) {
      now = false;
      reason = (error as Error).message;
    } finally {
      pinging = false;
    }
    if (now !== reachable) {
      reachable = now;
      onChange(now, reason);
    }
  }, intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
