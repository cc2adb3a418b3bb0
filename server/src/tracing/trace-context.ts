// W3C trace context without any SDK: the trace id of a call's `traceparent` metadata, for
// its log line (the page sends one per call; the gateway forwards its own span's).
import type { Metadata } from "@grpc/grpc-js";
import type { LogFields } from "../logger.ts";

// version "-" trace-id "-" parent-id "-" flags; an all-zero trace id is invalid.
const traceparent = /^[\da-f]{2}-([\da-f]{32})-[\da-f]{16}-[\da-f]{2}$/;

/** `{ trace_id }` when the call carries a valid traceparent, else nothing. */
export function traceIdField(metadata: Metadata): LogFields {
  const value = metadata.get("traceparent")[0]?.toString().trim().toLowerCase() ?? "";
  const traceId = traceparent.exec(value)?.[1];
  return traceId && !/^0+$/.test(traceId) ? { trace_id: traceId } : {};
}
