import { google } from "../gen/google/rpc/error_details.ts";
import { statusDetailsOfType } from "./status-details.ts";

/** A `google.rpc.ErrorInfo`: a machine-readable reason and its facts (AIP-193). */
export interface ErrorInfo {
  /** e.g. `WATCH_HISTORY_TRIMMED`. */
  reason: string;
  /** e.g. `{ current_version: "42" }` on an ABORTED write. */
  metadata: Readonly<Record<string, string>>;
}

/** The first google.rpc.ErrorInfo in the call's grpc-status-details-bin, if any. */
export function errorInfoFrom(metadata: Record<string, string> | undefined): ErrorInfo | null {
  const [first] = statusDetailsOfType(metadata, "google.rpc.ErrorInfo");
  if (!first) return null;
  try {
    const info = google.rpc.ErrorInfo.deserialize(first.value);
    return { reason: info.reason, metadata: Object.fromEntries(info.metadata ?? []) };
  } catch {
    return null;
  }
}
