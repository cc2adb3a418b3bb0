import { type ServerUnaryCall, type ServiceError, type sendUnaryData, status } from "@grpc/grpc-js";
import { startCallLog } from "../call-log.ts";
import type { TeamRequest, TeamResponse } from "../gen/teams.ts";
import { invalidArgument } from "../rich-error.ts";
import { checkCity } from "../validation.ts";
import type { HandlerContext } from "./handler-context.ts";
import { storeFailure } from "./store-status.ts";
import { notFoundResponse, teamResponse } from "./team-messages.ts";

/** GetTeam, as the tutorial answers it: an unknown city is OK with "not a member". */
export function getTeam({ store, logger }: HandlerContext) {
  return (
    call: ServerUnaryCall<TeamRequest, TeamResponse>,
    callback: sendUnaryData<TeamResponse>,
  ): void => {
    const city = call.request.city;
    const log = startCallLog(logger, "/Teams/GetTeam", call, { city });
    const violation = checkCity(city);
    if (violation) {
      log.end(status.INVALID_ARGUMENT);
      callback(invalidArgument(violation) as ServiceError);
      return;
    }
    store.get(city).then(
      (team) => {
        log.end(status.OK, { found: team !== undefined });
        callback(null, team ? teamResponse(team) : notFoundResponse(city));
      },
      (error: unknown) => {
        const failure = storeFailure(error);
        log.end(failure.code ?? status.INTERNAL);
        callback(failure as ServiceError);
      },
    );
  };
}
