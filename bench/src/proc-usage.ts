// Per-process CPU time and peak memory from /proc, so each system under test is measured
// alone even though load generator and server share the machine.
import { readFileSync, writeFileSync } from "node:fs";

// USER_HZ: Linux reports utime/stime in these ticks; 100 on every mainstream arch.
const clockTicksPerSecond = 100;

/** utime + stime of a process, in seconds, parsed from the text of /proc/<pid>/stat. */
export function parseCpuSeconds(statText: string): number {
  // The command name (field 2) may hold spaces and parentheses: count fields after the last ")".
  const rest = statText.slice(statText.lastIndexOf(")") + 2).split(" ");
  // rest[0] is field 3 (state), so utime (field 14) is rest[11] and stime (15) is rest[12].
  const utime = Number(rest[11]);
  const stime = Number(rest[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) {
    throw new Error(`/proc stat: no utime/stime in "${statText.slice(0, 80)}"`);
  }
  return (utime + stime) / clockTicksPerSecond;
}

/** VmHWM (peak resident set size) in bytes, parsed from the text of /proc/<pid>/status. */
export function parsePeakRssBytes(statusText: string): number {
  const match = /^VmHWM:\s+(\d+)\s+kB$/m.exec(statusText);
  if (!match) throw new Error("/proc status: no VmHWM line");
  return Number(match[1]) * 1024;
}

/** VmRSS (current resident set size) in bytes, parsed from the text of /proc/<pid>/status. */
export function parseRssBytes(statusText: string): number {
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(statusText);
  if (!match) throw new Error("/proc status: no VmRSS line");
  return Number(match[1]) * 1024;
}

/** CPU seconds a live process has used so far. */
export function cpuSeconds(pid: number): number {
  return parseCpuSeconds(readFileSync(`/proc/${pid}/stat`, "utf8"));
}

/** Peak RSS of a live process, in bytes, since it started or since resetPeakRss. */
export function peakRssBytes(pid: number): number {
  return parsePeakRssBytes(readFileSync(`/proc/${pid}/status`, "utf8"));
}

/**
 * Resets VmHWM to the current RSS (Linux clear_refs value 5), so each measured point reports
 * its own peak rather than the process's lifetime peak. Returns false where not permitted.
 */
export function resetPeakRss(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, "5");
    return true;
  } catch {
    return false;
  }
}

/** A snapshot to diff against after a load run. */
export interface UsageMark {
  pid: number;
  cpu: number;
  /** Resident bytes when the mark was taken: the floor the peak is measured from. */
  rssBefore: number;
}

/** Marks the CPU of each process and resets its peak RSS, just before a load run. */
export function markUsage(pids: readonly number[]): UsageMark[] {
  return pids.map((pid) => {
    resetPeakRss(pid);
    const rssBefore = parseRssBytes(readFileSync(`/proc/${pid}/status`, "utf8"));
    return { pid, cpu: cpuSeconds(pid), rssBefore };
  });
}

/** CPU seconds used and peak RSS bytes of each marked process since its mark. */
export function usageSince(marks: readonly UsageMark[]): { cpu: number; peakRss: number }[] {
  return marks.map((m) => ({ cpu: cpuSeconds(m.pid) - m.cpu, peakRss: peakRssBytes(m.pid) }));
}
