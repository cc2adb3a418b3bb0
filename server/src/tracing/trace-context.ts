// W3C trace context without any SDK: the trace id of a call's `traceparent` (metadata on the
// server, a header at the gateway), for every log line of the call (the page sends one per
// call; the gateway forwards its own span's, which keeps the trace id).
import type { Metadata } from "@grpc/grpc-js";

// version "-" trace-id "-" parent-id "-" flags; an all-zero trace id is invalid.
const traceparent = /^[\da-f]{2}-([\da-f]{32})-[\da-f]{16}-[\da-f]{2}$/;

/** `{ trace_id }` of a traceparent value when it is valid, else nothing. */
export function traceIdOf(value: unknown): { trace_id?: string } {
  const text = typeof value === "string" ? value : Buffer.isBuffer(value) ? value.toString() : "";
  const traceId = traceparent.exec(text.trim().toLowerCase())?.[1];
  return traceId && !/^0+$/.test(traceId) ? { trace_id: traceId } : {};
}

/** `{ trace_id }` when the call carries a valid traceparent, else nothing. */
export function traceIdField(metadata: Metadata): { trace_id?: string } {
  return traceIdOf(metadata.get("traceparent")[0]);
}
