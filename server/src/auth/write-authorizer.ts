// The authorization boundary for writes: PutTeam, DeleteTeam and ImportTeams ask
// a WriteAuthorizer before touching the store. Reads never do.
import type { Metadata, ServiceError } from "@grpc/grpc-js";

/** Who made a write: the token's `sub`, for the write's log line (never the token). */
export type WriteCaller = { subject: string };

export interface WriteAuthorizer {
  /**
   * Resolves with the caller when the call's `authorization: Bearer <JWT>` is
   * valid and carries the scope `teams:write`. Rejects with a ServiceError:
   * UNAUTHENTICATED (missing, malformed, badly signed, expired: the message says
   * which, with a google.rpc.ErrorInfo reason) or PERMISSION_DENIED (no scope).
   */
  authorize(metadata: Metadata): Promise<WriteCaller>;
}

export type { ServiceError };
