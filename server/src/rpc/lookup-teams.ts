import type { ServerDuplexStream, ServiceError } from "@grpc/grpc-js";
import type { TeamRequest, TeamResponse } from "../gen/teams.ts";
import { invalidArgument } from "../rich-error.ts";
import { checkCity } from "../validation.ts";
import type { HandlerContext } from "./handler-context.ts";
import { storeFailure } from "./store-status.ts";
import { isGone, messagesOf, send } from "./stream-flow.ts";
import { notFoundResponse, teamResponse } from "./team-messages.ts";

type LookupCall = ServerDuplexStream<TeamRequest, TeamResponse>;

/**
 * LookupTeams: each city answered as GetTeam would, in order, as soon as it
 * arrives (one lookup at a time, so answers keep the order of the questions and
 * a client that stops reading stops the lookups). A bad city ends the stream
 * with INVALID_ARGUMENT whose BadRequest description gives its 0-based index.
 */
export function lookupTeams({ store }: HandlerContext) {
  return (call: LookupCall): void => {
    answerAll(store, call).then(
      () => {
        if (!isGone(call)) call.end();
      },
      (error: Partial<ServiceError>) => {
        if (!isGone(call)) call.emit("error", error);
      },
    );
  };
}

async function answerAll(store: HandlerContext["store"], call: LookupCall): Promise<void> {
  let index = 0;
  for await (const request of messagesOf<TeamRequest>(call)) {
    const { city } = request;
    const violation = checkCity(city);
    if (violation) {
      throw invalidArgument({
        field: "city",
        description: `message ${index}: ${violation.description}`,
      });
    }
    let team: Awaited<ReturnType<typeof store.get>>;
    try {
      team = await store.get(city);
    } catch (error) {
      throw storeFailure(error);
    }
    if (isGone(call)) return;
    await send(call, team ? teamResponse(team) : notFoundResponse(city));
    index++;
  }
}
