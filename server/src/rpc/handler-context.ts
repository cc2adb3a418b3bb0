import type { Metadata, ServiceError } from "@grpc/grpc-js";
import type { WriteAuthorizer, WriteCaller } from "../auth/write-authorizer.ts";
import type { Logger } from "../logger.ts";
import { internalError } from "../rich-error.ts";
import type { TeamStore } from "../store/team-store.ts";
import { traceIdField } from "../tracing/trace-context.ts";
import type { ChangeFeed } from "../watch/change-feed.ts";
import type { WatchSettings } from "../watch/watch-settings.ts";

/** What every Teams handler works with: one per server, shared by all calls. */
export type HandlerContext = {
  store: TeamStore;
  authorizer: WriteAuthorizer;
  logger: Logger;
  /** The replica's change feed: writes wake it, watches read it. */
  feed: ChangeFeed;
  watch: WatchSettings;
};

/** The caller of a write, or the error to answer with (UNAUTHENTICATED, PERMISSION_DENIED). */
export async function authorizeWrite(
  authorizer: WriteAuthorizer,
  metadata: Metadata,
): Promise<{ caller: WriteCaller } | { error: Partial<ServiceError> }> {
  try {
    return { caller: await authorizer.authorize(metadata) };
  } catch (error) {
    const hasCode = typeof (error as Partial<ServiceError>)?.code === "number";
    return { error: hasCode ? (error as Partial<ServiceError>) : internalError(error) };
  }
}

/**
 * One log line per write that changed the directory: who (the token's subject, never the
 * token), what, and the call's trace id.
 */
export function logWrite(
  context: HandlerContext,
  call: { metadata: Metadata },
  method: string,
  caller: WriteCaller,
  fields: Record<string, unknown>,
): void {
  const trace = traceIdField(call.metadata);
  context.logger.info("write", { method, subject: caller.subject, ...fields, ...trace });
  context.feed.written();
}
