import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { cpuSeconds, parseCpuSeconds, parsePeakRssBytes, peakRssBytes } from "../src/proc-usage.ts";

describe("parseCpuSeconds", () => {
  it("adds utime and stime (ticks of 1/100 s) even when the command name holds spaces and ')'", () => {
    const stat =
      "4242 (node (x) y) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 11 0 1 2 3";
    assert.equal(parseCpuSeconds(stat), 3);
  });
});

describe("parsePeakRssBytes", () => {
  it("reads VmHWM in kB as bytes", () => {
    assert.equal(
      parsePeakRssBytes("VmPeak:\t  900 kB\nVmHWM:\t   2048 kB\nVmRSS:\t 1024 kB\n"),
      2048 * 1024,
    );
  });
  it("names what is missing", () => {
    assert.throws(() => parsePeakRssBytes("VmRSS: 1 kB\n"), /no VmHWM line/);
  });
});

describe("reading a live process", () => {
  it("sees this test process's CPU time and a peak RSS above its heap", () => {
    assert.ok(cpuSeconds(process.pid) > 0);
    assert.ok(peakRssBytes(process.pid) >= process.memoryUsage().heapUsed);
  });
});
