import { type ServerWritableStream, status } from "@grpc/grpc-js";
import type { ListTeamsRequest, TeamResponse } from "../gen/teams.ts";
import { invalidArgument } from "../rich-error.ts";
import { checkPrefix } from "../validation.ts";
import type { HandlerContext } from "./handler-context.ts";
import { storeFailure } from "./store-status.ts";
import { isGone, send } from "./stream-flow.ts";
import { teamResponse } from "./team-messages.ts";

type ListCall = ServerWritableStream<ListTeamsRequest, TeamResponse>;

/** ListTeams: the store's keyset pages streamed with backpressure, stopped on cancel. */
export function listTeams(context: HandlerContext) {
  return (call: ListCall): void => {
    streamTeams(context, call).then(
      () => {
        if (!isGone(call)) call.end();
      },
      (error: { code?: status }) => {
        call.emit("error", error.code === status.INVALID_ARGUMENT ? error : storeFailure(error));
      },
    );
  };
}

/** Streams the matching teams; rejects with the error to answer. */
async function streamTeams({ store }: HandlerContext, call: ListCall): Promise<void> {
  const { prefix, limit } = call.request;
  const violation = checkPrefix(prefix);
  if (violation) throw invalidArgument(violation);
  for await (const team of store.list(prefix, limit)) {
    if (isGone(call)) break;
    await send(call, teamResponse(team));
  }
}
