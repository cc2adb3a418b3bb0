import { Metadata, type ServiceError, status } from "@grpc/grpc-js";
import { google as anyPb } from "./gen/google/protobuf/any.ts";
import { google as details } from "./gen/google/rpc/error_details.ts";
import { google as statusPb } from "./gen/google/rpc/status.ts";
import type { FieldViolation } from "./validation.ts";

/** The trailer the gRPC rich error model (google.rpc.Status) travels in. */
export const statusDetailsKey = "grpc-status-details-bin";
const badRequestTypeUrl = "type.googleapis.com/google.rpc.BadRequest";

const errorInfoTypeUrl = "type.googleapis.com/google.rpc.ErrorInfo";

/** The domain of every google.rpc.ErrorInfo this server sends (AIP-193: the service's name). */
export const errorDomain = "teams.example";

/**
 * An error with a google.rpc.Status in its trailers: the message is for humans, the
 * details for clients that branch on them (grpc-js sends metadata of a returned
 * error as trailers).
 */
export function richError(
  code: status,
  message: string,
  details: Array<{ typeUrl: string; value: Uint8Array }>,
): Partial<ServiceError> {
  const richStatus = new statusPb.rpc.Status({
    code,
    message,
    details: details.map(
      (detail) => new anyPb.protobuf.Any({ type_url: detail.typeUrl, value: detail.value }),
    ),
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
  const list: readonly FieldViolation[] = Array.isArray(violations)
    ? violations
    : [violations as FieldViolation];
  const badRequest = new details.rpc.BadRequest({
    field_violations: list.map((violation) => new details.rpc.BadRequest.FieldViolation(violation)),
  });
  const message = list
    .map((violation) => `${violation.field}: ${violation.description}`)
    .join("; ");
  return richError(status.INVALID_ARGUMENT, message, [
    { typeUrl: badRequestTypeUrl, value: badRequest.serialize() },
  ]);
}

/** What a google.rpc.ErrorInfo says: a machine-readable reason in UPPER_SNAKE_CASE. */
export type ErrorInfo = { reason: string; domain?: string; metadata?: Record<string, string> };

/** An error of any code with a google.rpc.ErrorInfo (domain errorDomain unless given). */
export function errorWithInfo(
  code: status,
  message: string,
  info: ErrorInfo,
): Partial<ServiceError> {
  const errorInfo = new details.rpc.ErrorInfo({
    reason: info.reason,
    domain: info.domain ?? errorDomain,
    metadata: new Map(Object.entries(info.metadata ?? {})),
  });
  return richError(code, message, [{ typeUrl: errorInfoTypeUrl, value: errorInfo.serialize() }]);
}

/** Reads the ErrorInfo back out of an error's trailers (for clients and tests). */
export function errorInfoOf(metadata: Metadata | undefined): ErrorInfo | undefined {
  const info = statusDetailsOf(metadata)
    .filter((any) => any.type_url === errorInfoTypeUrl)
    .map((any) => details.rpc.ErrorInfo.deserialize(any.value))[0];
  if (!info) return undefined;
  return {
    reason: info.reason,
    domain: info.domain,
    metadata: Object.fromEntries(info.metadata.entries()),
  };
}

function statusDetailsOf(metadata: Metadata | undefined): anyPb.protobuf.Any[] {
  const [raw] = metadata?.get(statusDetailsKey) ?? [];
  if (!(raw instanceof Buffer)) return [];
  return statusPb.rpc.Status.deserialize(raw).details;
}

/** Reads the BadRequest violations back out of an error's trailers (for clients and tests). */
export function fieldViolationsOf(metadata: Metadata | undefined): FieldViolation[] {
  return statusDetailsOf(metadata)
    .filter((any) => any.type_url === badRequestTypeUrl)
    .flatMap((any) => details.rpc.BadRequest.deserialize(any.value).field_violations)
    .map((violation) => ({ field: violation.field, description: violation.description }));
}

/** Anything a handler did not expect becomes INTERNAL with its message, never a crash. */
export function internalError(error: unknown): Partial<ServiceError> {
  const reason = error instanceof Error ? error.message : String(error);
  return { code: status.INTERNAL, details: `internal error: ${reason}` };
}
