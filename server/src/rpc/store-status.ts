import { type ServiceError, status } from "@grpc/grpc-js";
import { errorWithInfo, internalError } from "../rich-error.ts";
import { StoreError } from "../store/team-store.ts";

/** ErrorInfo reasons of the write and watch errors (stable: clients switch on them). */
export const reasons = {
  versionMismatch: "VERSION_MISMATCH",
  teamExists: "TEAM_EXISTS",
  historyTrimmed: "WATCH_HISTORY_TRIMMED",
  watchResume: "WATCH_RESUME",
  databaseUnavailable: "DATABASE_UNAVAILABLE",
} as const;

/**
 * The gRPC status of a failed store call, for the team of `city` when there is one.
 * Anything that is not a StoreError is a defect: INTERNAL.
 */
export function storeFailure(error: unknown, city?: string): Partial<ServiceError> {
  if (!(error instanceof StoreError)) return internalError(error);
  const team = city === undefined ? "the team" : `the team of "${city.trim()}"`;
  const current = { current_version: String(error.currentVersion ?? 0) };
  switch (error.kind) {
    case "not-found":
      return { code: status.NOT_FOUND, details: `city: no team plays in "${city?.trim()}"` };
    case "already-exists":
      return errorWithInfo(
        status.ALREADY_EXISTS,
        `if_version: 0 asks for a new team, but ${team} exists; read it and send its version`,
        { reason: reasons.teamExists, metadata: current },
      );
    case "version-mismatch":
      return errorWithInfo(
        status.ABORTED,
        `if_version: ${team} is at version ${current.current_version} now; read it again and retry`,
        { reason: reasons.versionMismatch, metadata: current },
      );
    case "history-trimmed":
      return errorWithInfo(status.FAILED_PRECONDITION, error.message, {
        reason: reasons.historyTrimmed,
      });
    case "unavailable":
      return errorWithInfo(status.UNAVAILABLE, error.message, {
        reason: reasons.databaseUnavailable,
      });
  }
}
