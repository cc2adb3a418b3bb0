import { Logger } from "../../src/logger.ts";

type Line = Record<string, unknown>;

/** A Logger that keeps its lines, so tests can wait for one (no sleeping). */
export function recordingLogger(): {
  logger: Logger;
  lines: Line[];
  waitFor(match: (line: Line) => boolean): Promise<Line>;
} {
  const lines: Line[] = [];
  const waiters: Array<{ match: (line: Line) => boolean; resolve: (line: Line) => void }> = [];
  const logger = new Logger("debug", (text) => {
    const line = JSON.parse(text) as Line;
    lines.push(line);
    for (const waiter of [...waiters]) {
      if (!waiter.match(line)) continue;
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(line);
    }
  });
  return {
    logger,
    lines,
    waitFor(match) {
      const seen = lines.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve) => waiters.push({ match, resolve }));
    },
  };
}
