// The hook metrics and tracing use to see each gRPC-Web call: told when it starts (it may
// add upstream headers, e.g. a traceparent), when its body stalls, and how it ended.
import type { IncomingMessage } from "node:http";
import type { CallRecord } from "./access-log.ts";

export interface CallWatch {
  /** Headers to add to the upstream request (each attempt). */
  readonly upstreamHeaders?: Readonly<Record<string, string>>;
  /** The request body stalled and the call is being cut (BODY_IDLE_TIMEOUT_MS). */
  stalled?(): void;
  /** The call ended; `record` is what its access-log line says. */
  finished(record: CallRecord): void;
}

/** Called once per call, before anything is sent upstream. */
export type CallObserver = (req: IncomingMessage) => CallWatch;

/** One observer that runs each of `observers` (metrics, tracing), or undefined for none. */
export function combineObservers(
  observers: ReadonlyArray<CallObserver | undefined>,
): CallObserver | undefined {
  const present = observers.filter((observer) => observer !== undefined);
  if (present.length <= 1) return present[0];
  return (req) => {
    const watches = present.map((observer) => observer(req));
    return {
      upstreamHeaders: Object.assign({}, ...watches.map((watch) => watch.upstreamHeaders)),
      stalled: () => {
        for (const watch of watches) watch.stalled?.();
      },
      finished: (record) => {
        for (const watch of watches) watch.finished(record);
      },
    };
  };
}
