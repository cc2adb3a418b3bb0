// The one access-log line written per gRPC-Web call.
import type { Logger } from "./logger.ts";

export interface CallRecord {
  /** The gRPC method path, e.g. /Teams/GetTeam. */
  readonly path: string;
  readonly grpcStatus: number;
  readonly grpcMessage?: string;
  readonly durationMs: number;
  /** Bytes read from the browser, as sent (base64 in text mode). */
  readonly bytesIn: number;
  /** Bytes written to the browser, as sent. */
  readonly bytesOut: number;
  /** Request messages read from the browser, and answer messages relayed to it. */
  readonly messagesIn: number;
  readonly messagesOut: number;
  /** "text" for application/grpc-web-text answers, "binary" otherwise. */
  readonly mode: "text" | "binary";
  /** Times the call was retried on a new upstream session (only when it was). */
  readonly retries?: number;
  readonly origin?: string;
  /** The upstream endpoint (host:port) of the call's last attempt, once it had one. */
  readonly upstream?: string;
  /** The trace id of the call's W3C traceparent, when it sent one. */
  readonly trace_id?: string;
}

/** Whether logCall would write a line for a call ending with `grpcStatus`. */
export function isCallLogged(logger: Logger, grpcStatus: number): boolean {
  return logger.isLevelEnabled?.(grpcStatus === 0 ? "info" : "warn") ?? true;
}

/** Writes `{"msg":"call","method":"POST","path":...,"grpcStatus":...}`; failures at warn. */
export function logCall(logger: Logger, record: CallRecord): void {
  const fields = {
    method: "POST",
    ...record,
    durationMs: Math.round(record.durationMs * 10) / 10,
  };
  if (record.grpcStatus === 0) logger.info("call", fields);
  else logger.warn("call", fields);
}
