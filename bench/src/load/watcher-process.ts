// One process of fan-out watchers (watcher-processes.ts forks it): argv port, prefix, count
// and how many it opens at a time.
// Opens its watchers, says {"ready"}, then answers the driver's requests over IPC; a
// lastArrival request is acknowledged at once (every city is counted as it arrives).
import { openWatchers } from "./watchers.ts";

export type WatcherRequest = { id: number } & (
  | { op: "lastArrival"; city: string }
  | { op: "takeArrivals"; prefix: string }
  | { op: "eachReceived"; puts: number }
  | { op: "resetTally" }
  | { op: "tally" }
);

export type WatcherReply =
  | { ready: true }
  | { failed: string }
  | { id: number; acknowledged: true }
  | { id: number; value: unknown }
  | { id: number; error: string };

const reply = (message: WatcherReply): void => {
  process.send?.(message);
};
const [port, prefix, count, batch] = process.argv.slice(2);

try {
  const pool = await openWatchers(Number(port), prefix ?? "", Number(count), Number(batch));
  process.on("message", async (request: WatcherRequest) => {
    const { id } = request;
    try {
      let value: unknown;
      if (request.op === "lastArrival") {
        const last = pool.lastArrival(request.city); // awaited from here on
        reply({ id, acknowledged: true });
        value = await last;
      } else if (request.op === "takeArrivals") value = pool.takeArrivals(request.prefix);
      else if (request.op === "eachReceived") value = await pool.eachReceived(request.puts);
      else if (request.op === "resetTally") value = pool.resetTally();
      else value = pool.tally();
      reply({ id, value: value ?? null });
    } catch (error) {
      reply({ id, error: (error as Error).message });
    }
  });
  process.on("disconnect", () => {
    pool.close();
    process.exit(0);
  });
  reply({ ready: true });
} catch (error) {
  reply({ failed: (error as Error).message });
  process.exit(1);
}
