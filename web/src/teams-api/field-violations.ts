import { google } from "../gen/google/rpc/error_details.ts";
import { statusDetailsOfType } from "./status-details.ts";

export { statusDetailsKey } from "./status-details.ts";

/** One `google.rpc.BadRequest.FieldViolation`: which field, and what to fix. */
export interface FieldViolation {
  field: string;
  description: string;
}

/**
 * Decodes the field violations of every google.rpc.BadRequest in the call's
 * grpc-status-details-bin; none when there are no (readable) details.
 */
export function fieldViolationsFrom(
  metadata: Record<string, string> | undefined,
): FieldViolation[] {
  try {
    return statusDetailsOfType(metadata, "google.rpc.BadRequest")
      .flatMap((any) => google.rpc.BadRequest.deserialize(any.value).field_violations)
      .map(({ field, description }) => ({ field, description }));
  } catch {
    return [];
  }
}
