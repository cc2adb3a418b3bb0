import type { ServiceError } from "@grpc/grpc-js";
import { invalidArgument } from "../rich-error.ts";
import { traceIdField } from "../tracing/trace-context.ts";
import { checkPrefix } from "../validation.ts";
import { type WatchCall, WatchSession } from "../watch/watch-session.ts";
import type { HandlerContext } from "./handler-context.ts";

/** WatchTeams: a snapshot and/or the changes after a version, live, for one prefix. */
export function watchTeams({ store, feed, watch, logger }: HandlerContext) {
  return (call: WatchCall): void => {
    const violation = checkPrefix(call.request.prefix);
    if (violation) {
      call.emit("error", invalidArgument(violation) as ServiceError);
      return;
    }
    const session = new WatchSession(call, store, watch);
    session.onCut = () =>
      logger.warn("slow watcher ended", {
        peer: call.getPeer(),
        queueLimit: watch.queueLimit,
        ...traceIdField(call.metadata),
      });
    void session.run(feed);
  };
}
