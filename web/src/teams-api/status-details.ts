import type { google as anyPb } from "../gen/google/protobuf/any.ts";
import { google } from "../gen/google/rpc/status.ts";

/** The trailer a server uses for rich error details: base64 of a google.rpc.Status. */
export const statusDetailsKey = "grpc-status-details-bin";

/**
 * The `details` (google.protobuf.Any) of the google.rpc.Status in a call's
 * grpc-status-details-bin whose type URL is `type.googleapis.com/<typeName>`. Missing or
 * malformed details give an empty list: the status code and message still say what happened.
 */
export function statusDetailsOfType(
  metadata: Record<string, string> | undefined,
  typeName: string,
): anyPb.protobuf.Any[] {
  const encoded = metadata?.[statusDetailsKey];
  if (!encoded) return [];
  try {
    return google.rpc.Status.deserialize(base64ToBytes(encoded)).details.filter(
      (any) => any.type_url === `type.googleapis.com/${typeName}`,
    );
  } catch {
    return [];
  }
}

// gRPC allows unpadded base64 in -bin headers; atob needs the padding back.
function base64ToBytes(encoded: string): Uint8Array {
  const padded = encoded.padEnd(encoded.length + ((4 - (encoded.length % 4)) % 4), "=");
  return Uint8Array.from(atob(padded), (char) => char.charCodeAt(0));
}
