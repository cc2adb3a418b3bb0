import { Metadata, type ServiceError, status } from "@grpc/grpc-js";
import { google as anyPb } from "./gen/google/protobuf/any.ts";
import { google as details } from "./gen/google/rpc/error_details.ts";
import { google as statusPb } from "./gen/google/rpc/status.ts";
import type { FieldViolation } from "./validation.ts";

/** The trailer the gRPC rich error model (google.rpc.Status) travels in. */
export const statusDetailsKey = "grpc-status-details-bin";
const badRequestTypeUrl = "type.googleapis.com/google.rpc.BadRequest";
const errorInfoTypeUrl = "type.googleapis.com/google.rpc.ErrorInfo";
/** google.rpc.ErrorInfo.domain of every error this service gives a reason for. */
export const errorDomain = "teams";

/** What a google.rpc.ErrorInfo says: a stable reason and string metadata. */
export type ErrorReason = { reason: string; metadata?: Record<string, string> };

/**
 * An error of `code` whose trailer carries google.rpc.Status{code, message, details}
 * for clients that want more than the message (grpc-js sends the metadata of a
 * returned error as trailers).
 */
function richError(
  code: status,
  message: string,
  detail: { type_url: string; value: Uint8Array },
): Partial<ServiceError> {
  const richStatus = new statusPb.rpc.Status({
    code,
    message,
    details: [new anyPb.protobuf.Any(detail)],
  });
  const metadata = new Metadata();
  metadata.set(statusDetailsKey, Buffer.from(richStatus.serialize()));
  return { code, details: message, metadata };
}

/**
 * INVALID_ARGUMENT for bad fields: the message is `field: rule; field: rule` for
 * humans, and the trailer carries a google.rpc.BadRequest naming each field.
 */
export function invalidArgument(
  violations: FieldViolation | readonly FieldViolation[],
): Partial<ServiceError> {
  const list = Array.isArray(violations) ? violations : [violations as FieldViolation];
  const message = list
    .map((violation) => `${violation.field}: ${violation.description}`)
    .join("; ");
  const badRequest = new details.rpc.BadRequest({
    field_violations: list.map((violation) => new details.rpc.BadRequest.FieldViolation(violation)),
  });
  return richError(status.INVALID_ARGUMENT, message, {
    type_url: badRequestTypeUrl,
    value: badRequest.serialize(),
  });
}

/** An error of `code` with a google.rpc.ErrorInfo (domain `teams`) giving its reason. */
export function reasonedError(
  code: status,
  message: string,
  { reason, metadata = {} }: ErrorReason,
): Partial<ServiceError> {
  const info = new details.rpc.ErrorInfo({
    reason,
    domain: errorDomain,
    metadata: new Map(Object.entries(metadata)),
  });
  return richError(code, message, { type_url: errorInfoTypeUrl, value: info.serialize() });
}

/** The google.rpc.Status details of an error's trailers with `typeUrl`, still serialized. */
function detailsOf(metadata: Metadata | undefined, typeUrl: string): Uint8Array[] {
  const [raw] = metadata?.get(statusDetailsKey) ?? [];
  if (!(raw instanceof Buffer)) return [];
  return statusPb.rpc.Status.deserialize(raw)
    .details.filter((any) => any.type_url === typeUrl)
    .map((any) => any.value);
}

/** Reads the BadRequest violations back out of an error's trailers (for clients and tests). */
export function fieldViolationsOf(metadata: Metadata | undefined): FieldViolation[] {
  return detailsOf(metadata, badRequestTypeUrl)
    .flatMap((value) => details.rpc.BadRequest.deserialize(value).field_violations)
    .map((violation) => ({ field: violation.field, description: violation.description }));
}

/** Reads the ErrorInfo back out of an error's trailers, or undefined (for clients and tests). */
export function errorReasonOf(metadata: Metadata | undefined): ErrorReason | undefined {
  const [value] = detailsOf(metadata, errorInfoTypeUrl);
  if (!value) return undefined;
  const info = details.rpc.ErrorInfo.deserialize(value);
  return { reason: info.reason, metadata: Object.fromEntries(info.metadata) };
}

/** Anything a handler did not expect becomes INTERNAL with its message, never a crash. */
export function internalError(error: unknown): Partial<ServiceError> {
  const reason = error instanceof Error ? error.message : String(error);
  return { code: status.INTERNAL, details: `internal error: ${reason}` };
}
