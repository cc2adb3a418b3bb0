import type { ServerUnaryCall, ServiceError, sendUnaryData } from "@grpc/grpc-js";
import type { TeamRequest, TeamResponse } from "../gen/teams.ts";
import { invalidArgument } from "../rich-error.ts";
import { checkCity } from "../validation.ts";
import type { HandlerContext } from "./handler-context.ts";
import { storeFailure } from "./store-status.ts";
import { notFoundResponse, teamResponse } from "./team-messages.ts";

/** GetTeam, as the tutorial answers it: an unknown city is OK with "not a member". */
export function getTeam({ store }: HandlerContext) {
  return (
    call: ServerUnaryCall<TeamRequest, TeamResponse>,
    callback: sendUnaryData<TeamResponse>,
  ): void => {
    const city = call.request.city;
    const violation = checkCity(city);
    if (violation) {
      callback(invalidArgument(violation) as ServiceError);
      return;
    }
    store.get(city).then(
      (team) => callback(null, team ? teamResponse(team) : notFoundResponse(city)),
      (error: unknown) => callback(storeFailure(error) as ServiceError),
    );
  };
}
