import { TeamsError } from "./teams-error.ts";

/** The trailer a server uses for rich error details: base64 of a google.rpc.Status. */
const statusDetailsKey = "grpc-status-details-bin";

/**
 * `TeamsError.from(error)` with the field violations (google.rpc.BadRequest) and ErrorInfo
 * of its grpc-status-details-bin decoded. The decoders (the google.rpc messages) load on the
 * first error that carries details, so they cost the page's first load nothing.
 */
export async function withErrorDetails(error: unknown): Promise<TeamsError> {
  const plain = TeamsError.from(error);
  const { metadata } = plain;
  if (!metadata[statusDetailsKey] || plain.fieldViolations.length || plain.errorInfo) return plain;
  const [{ fieldViolationsFrom }, { errorInfoFrom }] = await Promise.all([
    import("./field-violations.ts"),
    import("./error-info.ts"),
  ]);
  return new TeamsError(
    plain.code,
    plain.message,
    fieldViolationsFrom(metadata),
    errorInfoFrom(metadata),
    metadata,
  );
}
