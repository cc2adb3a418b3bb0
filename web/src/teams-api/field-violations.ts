import { google } from "../gen/google/rpc/error_details.ts";
import { google as status } from "../gen/google/rpc/status.ts";

/** One `google.rpc.BadRequest.FieldViolation`: which field, and what to fix. */
export interface FieldViolation {
  field: string;
  description: string;
}

/** The trailer a server uses for rich error details: base64 of a google.rpc.Status. */
export const statusDetailsKey = "grpc-status-details-bin";

const badRequestType = "type.googleapis.com/google.rpc.BadRequest";

/**
 * Decodes the field violations of every google.rpc.BadRequest in the call's
 * grpc-status-details-bin. Missing or malformed details give an empty list: the status
 * code and message still tell the person what went wrong.
 */
export function fieldViolationsFrom(
  metadata: Record<string, string> | undefined,
): FieldViolation[] {
  const encoded = metadata?.[statusDetailsKey];
  if (!encoded) return [];
  try {
    const details = status.rpc.Status.deserialize(base64ToBytes(encoded)).details;
    return details
      .filter((any) => any.type_url === badRequestType)
      .flatMap((any) => google.rpc.BadRequest.deserialize(any.value).field_violations)
      .map(({ field, description }) => ({ field, description }));
  } catch {
    return [];
  }
}

// gRPC allows unpadded base64 in -bin headers; atob needs the padding back.
function base64ToBytes(encoded: string): Uint8Array {
  const padded = encoded.padEnd(encoded.length + ((4 - (encoded.length % 4)) % 4), "=");
  return Uint8Array.from(atob(padded), (char) => char.charCodeAt(0));
}
