// How a failed call reads on stderr, and the exit code it gives: the status name,
// the server's message, each field violation, the ErrorInfo reason, and a hint.
import { Metadata, type ServiceError, status } from "@grpc/grpc-js";
import { errorInfoOf, fieldViolationsOf } from "@teams/server/rich-error";

/** Exit codes: 0 done, 1 an import skipped rows, 2 a bad command line or file, 64 + code for a gRPC error (as grpcurl). */
export const exitRowsRejected = 1;
export const exitUsage = 2;
export const exitRpcBase = 64;

export function isServiceError(error: unknown): error is ServiceError {
  return (
    error instanceof Error &&
    typeof (error as ServiceError).code === "number" &&
    (error as ServiceError).metadata instanceof Metadata
  );
}

export type CallContext = { method: string; address: string; token?: string };

/** The lines to print for a failed call, ending with a newline. */
export function describeFailure(error: ServiceError, context: CallContext): string {
  const name = status[error.code] ?? `code ${error.code}`;
  const lines = [`${context.method} failed: ${name}: ${error.details}`];
  for (const violation of fieldViolationsOf(error.metadata)) {
    lines.push(`  field ${violation.field}: ${violation.description}`);
  }
  const info = errorInfoOf(error.metadata);
  if (info) {
    const extra = Object.entries(info.metadata ?? {}).map(([key, value]) => ` ${key}=${value}`);
    lines.push(`  reason ${info.reason} (${info.domain})${extra.join("")}`);
  }
  const hint = hintFor(error.code, error.details, context);
  if (hint) lines.push(`  hint: ${hint}`);
  return `${lines.join("\n")}\n`;
}

export function exitCodeOf(error: ServiceError): number {
  return exitRpcBase + error.code;
}

/** grpc-js's own words when no connection could be made (as opposed to a server's UNAVAILABLE). */
const unreachable =
  /No connection established|ECONNREFUSED|ENOTFOUND|Name resolution failed|Connection dropped/;

function hintFor(code: status, details: string, context: CallContext): string | undefined {
  switch (code) {
    case status.UNAVAILABLE:
      return unreachable.test(details)
        ? `is the server running at ${context.address}? (--address or TEAMS_ADDRESS)`
        : "the server is up but cannot answer now: retry later";
    case status.UNAUTHENTICATED:
      return context.token
        ? "get a fresh token (against a development server: TEAMS_TOKEN=$(npm run -s token))"
        : "writes need a token: --token JWT or TEAMS_TOKEN (against a development server: TEAMS_TOKEN=$(npm run -s token))";
    case status.PERMISSION_DENIED:
      return "the token needs the scope teams:write";
    case status.ABORTED:
      return "the team changed since that version: read it again (list or lookup) and retry with its version";
    default:
      return undefined;
  }
}
