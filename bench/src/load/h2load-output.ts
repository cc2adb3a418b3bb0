// Parses h2load's text summary and its --log-file. h2load reports HTTP outcomes only; the
// gRPC status of answers is checked separately (verify-answer.ts).

/** The counts and rate from h2load's closing summary. */
export interface H2loadSummary {
  seconds: number;
  requestsPerSecond: number;
  total: number;
  succeeded: number;
  failed: number;
  errored: number;
  timeout: number;
  status2xx: number;
}

const durationUnits: Record<string, number> = { us: 1e-6, ms: 1e-3, s: 1 };

/** Reads "finished in 471.03ms, 4246.05 req/s" and the requests/status-codes lines. */
export function parseH2loadSummary(text: string): H2loadSummary {
  const finished = /finished in ([\d.]+)(us|ms|s), ([\d.]+) req\/s/.exec(text);
  const requests =
    /requests: (\d+) total, \d+ started, \d+ done, (\d+) succeeded, (\d+) failed, (\d+) errored, (\d+) timeout/.exec(
      text,
    );
  const codes = /status codes: (\d+) 2xx/.exec(text);
  if (!finished || !requests || !codes) {
    throw new Error(`h2load: unexpected output (no summary):\n${text.slice(-600)}`);
  }
  return {
    seconds: Number(finished[1]) * (durationUnits[finished[2] as string] ?? Number.NaN),
    requestsPerSecond: Number(finished[3]),
    total: Number(requests[1]),
    succeeded: Number(requests[2]),
    failed: Number(requests[3]),
    errored: Number(requests[4]),
    timeout: Number(requests[5]),
    status2xx: Number(codes[1]),
  };
}

/**
 * Latencies in microseconds from a --log-file (tab-separated: start time in us since the
 * epoch, HTTP status, us until the end of the response), keeping 2xx rows only.
 */
export function parseH2loadLog(text: string): Float64Array {
  const out: number[] = [];
  for (const line of text.split("\n")) {
    if (line === "") continue;
    const [, status, micros] = line.split("\t");
    if (status?.startsWith("2") && micros !== undefined) out.push(Number(micros));
  }
  return Float64Array.from(out);
}
