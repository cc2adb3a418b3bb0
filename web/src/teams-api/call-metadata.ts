import type { Metadata } from "grpc-web";
import { deadlineMetadata } from "./deadline.ts";
import { newTraceparent } from "./traceparent.ts";

/**
 * The metadata every call sends: its deadline, a `traceparent` that starts a new trace, and
 * for writes the signed-in person's token as `authorization: Bearer <token>` (reads are
 * anonymous, so the token travels only where it is needed).
 */
export function callMetadata(timeoutMs: number, token?: string): Metadata {
  const metadata: Metadata = { ...deadlineMetadata(timeoutMs), traceparent: newTraceparent() };
  if (token !== undefined) metadata.authorization = `Bearer ${token}`;
  return metadata;
}
