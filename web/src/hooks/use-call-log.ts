import { useReducer } from "react";
import type { CallRecord } from "../teams-api/recorded-teams-api.ts";

/** The panel keeps the latest calls only; older ones scroll away. */
const maxCalls = 50;

function upsert(calls: readonly CallRecord[], record: CallRecord): readonly CallRecord[] {
  const others = calls.filter((call) => call.id !== record.id);
  const index = calls.findIndex((call) => call.id === record.id);
  if (index === -1) return [record, ...calls].slice(0, maxCalls);
  return [...others.slice(0, index), record, ...others.slice(index)];
}

/** Calls newest first, each updated in place as it streams and ends. `record` is stable. */
export function useCallLog(): { calls: readonly CallRecord[]; record: (call: CallRecord) => void } {
  const [calls, record] = useReducer(upsert, []);
  return { calls, record };
}
