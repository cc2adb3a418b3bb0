// One ListTeams of a whole directory against a running server, with what it costs the server:
// its peak RSS from start until now (at rest), then its peak RSS and CPU while the stream runs.
// The client is a process of its own (stream-run.ts) that drops each message.
import { markUsage, peakRssBytes, usageSince } from "../proc-usage.ts";
import { runStreamClient } from "./stream-run.ts";

const mb = 1_000_000;

export interface ListAllFootprint {
  /** VmHWM before the stream: the server at rest. */
  restRssMb: number;
  /** VmHWM during the stream. */
  peakRssMb: number;
  /** Server CPU seconds the stream took. */
  cpuSeconds: number;
  messages: number;
  seconds: number;
}

/** Streams all teams of the server at `port` (process `pid`); throws unless it got `teams` or more. */
export async function listAllFootprint(
  pid: number,
  port: number,
  teams: number,
): Promise<ListAllFootprint> {
  const restRssMb = peakRssBytes(pid) / mb;
  const [mark] = markUsage([pid]);
  const all = await runStreamClient("grpc", port, "", 0);
  const [usage] = usageSince(mark ? [mark] : []);
  if (all.grpcStatus !== "0" || all.messages < teams) {
    throw new Error(
      `ListTeams of all: status ${all.grpcStatus}, ${all.messages} of ${teams}+ teams`,
    );
  }
  return {
    restRssMb,
    peakRssMb: (usage?.peakRss ?? Number.NaN) / mb,
    cpuSeconds: usage?.cpu ?? Number.NaN,
    messages: all.messages,
    seconds: all.seconds,
  };
}
