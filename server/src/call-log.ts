import { type Metadata, status } from "@grpc/grpc-js";
import type { Logger } from "./logger.ts";

/** What every call exposes that the log line needs (grpc-js server calls all do). */
type LoggableCall = { getPeer(): string; metadata: Metadata };

/** Codes a client causes (bad input, hanging up): worth a warning, not an alert. */
const clientCodes = new Set<status>([
  status.CANCELLED,
  status.INVALID_ARGUMENT,
  status.NOT_FOUND,
  status.DEADLINE_EXCEEDED,
  status.FAILED_PRECONDITION,
  status.OUT_OF_RANGE,
]);

/**
 * Starts timing one call; `end(code)` writes its single log line:
 * `{"level":"info","msg":"call","method":"/Teams/GetTeam","code":"OK","durationMs":0.4,
 *   "peer":"ipv4:127.0.0.1:51234","userAgent":"grpc-node-js/1.14.7","city":"Chicago"}`.
 * Calling `end` twice logs once, so a handler may end on every path without care.
 */
export function startCallLog(
  logger: Logger,
  method: string,
  call: LoggableCall,
  request: Record<string, unknown>,
): { end(code: status, extra?: Record<string, unknown>): void } {
  const started = process.hrtime.bigint();
  // Read now: once a client has hung up, grpc-js only knows the peer as "unknown".
  const peer = call.getPeer();
  const userAgent = call.metadata.get("user-agent")[0]?.toString() ?? "";
  let ended = false;
  return {
    end(code, extra) {
      if (ended) return;
      ended = true;
      const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
      const level = code === status.OK ? "info" : clientCodes.has(code) ? "warn" : "error";
      logger.log(level, "call", {
        method,
        code: status[code],
        durationMs: Math.round(durationMs * 1000) / 1000,
        peer,
        userAgent,
        ...request,
        ...extra,
      });
    },
  };
}
