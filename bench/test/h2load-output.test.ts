import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseH2loadLog, parseH2loadSummary } from "../src/load/h2load-output.ts";

// Verbatim tail of `h2load -c 16 -D 1 ...` (nghttp2 1.52.0) against the grpc-js floor.
const sample = `finished in 1.00s, 3257.00 req/s, 190.08KB/s
requests: 3257 total, 3273 started, 3257 done, 3257 succeeded, 0 failed, 0 errored, 0 timeout
status codes: 3257 2xx, 0 3xx, 0 4xx, 0 5xx
traffic: 190.08KB (194643) total, 17.67KB (18093) headers (space savings 96.00%), 79.52KB (81425) data
                     min         max         mean         sd        +/- sd
time for request:      234us     53.13ms      4.72ms      4.10ms    86.83%
`;

describe("parseH2loadSummary", () => {
  it("reads duration, rate and every outcome count", () => {
    assert.deepEqual(parseH2loadSummary(sample), {
      seconds: 1,
      requestsPerSecond: 3257,
      total: 3257,
      succeeded: 3257,
      failed: 0,
      errored: 0,
      timeout: 0,
      status2xx: 3257,
    });
  });
  it("converts a duration given in milliseconds", () => {
    const text = sample.replace("finished in 1.00s", "finished in 471.03ms");
    assert.equal(parseH2loadSummary(text).seconds, 0.47103);
  });
  it("fails loudly, quoting the output, when there is no summary (h2load could not connect)", () => {
    assert.throws(
      () => parseH2loadSummary("No protocol negotiated. Aborted.\n"),
      /h2load: unexpected output \(no summary\):\nNo protocol negotiated/,
    );
  });
});

describe("parseH2loadLog", () => {
  it("keeps the microseconds of 2xx rows and drops failed ones", () => {
    const log =
      "1795519608141250\t200\t8540\n1795519608141241\t503\t10178\n1795519608149845\t200\t2574\n";
    assert.deepEqual([...parseH2loadLog(log)], [8540, 2574]);
  });
});
