import { type ServerUnaryCall, type ServiceError, type sendUnaryData, status } from "@grpc/grpc-js";
import { startCallLog } from "../call-log";
import type { TeamRequest, TeamResponse } from "../gen/teams";
import { invalidArgument } from "../rich-error";
import { checkCity } from "../validation";
import type { HandlerContext } from "./handler-context";
import { storeFailure } from "./store-status";
import { notAMember, teamResponse } from "./team-messages";

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
        callback(null, team ? teamResponse(team) : notAMember(city));
      },
      (error: unknown) => {
        const failure = storeFailure(error);
        log.end(failure.code ?? status.INTERNAL);
        callback(failure as ServiceError);
      },
    );
  };
}
