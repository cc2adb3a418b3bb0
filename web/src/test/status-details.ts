import { google as any } from "../gen/google/protobuf/any.ts";
import { google as status } from "../gen/google/rpc/status.ts";

/** A grpc-status-details-bin value: base64 of a google.rpc.Status holding these messages. */
export function encodeStatusDetails(
  ...details: Array<{ type: string; message: { serialize(): Uint8Array } }>
): string {
  const bytes = new status.rpc.Status({
    code: 3,
    message: "details",
    details: details.map(
      ({ type, message }) =>
        new any.protobuf.Any({
          type_url: `type.googleapis.com/${type}`,
          value: message.serialize(),
        }),
    ),
  }).serialize();
  return btoa(String.fromCharCode(...bytes));
}
