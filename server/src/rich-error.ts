import { Metadata, type ServiceError, status } from "@grpc/grpc-js";
import { google as anyPb } from "./gen/google/protobuf/any.ts";
import { google as details } from "./gen/google/rpc/error_details.ts";
import { google as statusPb } from "./gen/google/rpc/status.ts";
import type { FieldViolation } from "./validation.ts";

/** The trailer the gRPC rich error model (google.rpc.Status) travels in. */
export const statusDetailsKey = "grpc-status-details-bin";
const badRequestTypeUrl = "type.googleapis.com/google.rpc.BadRequest";

/**
 * INVALID_ARGUMENT for one bad field: the message is `field: rule` for humans, and
 * the trailer carries google.rpc.Status{BadRequest} for clients that want the field
 * by name (grpc-js sends metadata of a returned error as trailers).
 */
export function invalidArgument(violation: FieldViolation): Partial<ServiceError> {
  const message = `${violation.field}: ${violation.description}`;
  const badRequest = new details.rpc.BadRequest({
    field_violations: [new details.rpc.BadRequest.FieldViolation(violation)],
  });
  const richStatus = new statusPb.rpc.Status({
    code: status.INVALID_ARGUMENT,
    message,
    details: [
      new anyPb.protobuf.Any({ type_url: badRequestTypeUrl, value: badRequest.serialize() }),
    ],
  });
  const metadata = new Metadata();
  metadata.set(statusDetailsKey, Buffer.from(richStatus.serialize()));
  return { code: status.INVALID_ARGUMENT, details: message, metadata };
}

/** Reads the BadRequest violations back out of an error's trailers (for clients and tests). */
export function fieldViolationsOf(metadata: Metadata | undefined): FieldViolation[] {
  const [raw] = metadata?.get(statusDetailsKey) ?? [];
  if (!(raw instanceof Buffer)) return [];
  const richStatus = statusPb.rpc.Status.deserialize(raw);
  return richStatus.details
    .filter((any) => any.type_url === badRequestTypeUrl)
    .flatMap((any) => details.rpc.BadRequest.deserialize(any.value).field_violations)
    .map((violation) => ({ field: violation.field, description: violation.description }));
}

/** Anything a handler did not expect becomes INTERNAL with its message, never a crash. */
export function internalError(error: unknown): Partial<ServiceError> {
  const reason = error instanceof Error ? error.message : String(error);
  return { code: status.INTERNAL, details: `internal error: ${reason}` };
}
