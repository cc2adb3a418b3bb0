import type { ServerUnaryCall, ServiceError, sendUnaryData } from "@grpc/grpc-js";
import { type DeleteTeamRequest, DeleteTeamResponse } from "../gen/teams.ts";
import { invalidArgument } from "../rich-error.ts";
import { checkCity } from "../validation.ts";
import { authorizeWrite, type HandlerContext, logWrite } from "./handler-context.ts";
import { storeFailure } from "./store-status.ts";

/** DeleteTeam: authorize, validate, then one conditional delete; an unknown city is NOT_FOUND. */
export function deleteTeam(context: HandlerContext) {
  return (
    call: ServerUnaryCall<DeleteTeamRequest, DeleteTeamResponse>,
    callback: sendUnaryData<DeleteTeamResponse>,
  ): void => {
    const { city } = call.request;
    const ifVersion = call.request.has_if_version ? call.request.if_version : undefined;
    void (async () => {
      const authorized = await authorizeWrite(context.authorizer, call.metadata);
      if ("error" in authorized) return callback(authorized.error as ServiceError);
      const violation = checkCity(city);
      if (violation) return callback(invalidArgument(violation) as ServiceError);
      try {
        const deleted = await context.store.delete(city.trim(), ifVersion);
        logWrite(context, call, "DeleteTeam", authorized.caller, deleted);
        callback(null, new DeleteTeamResponse(deleted));
      } catch (error) {
        callback(storeFailure(error, city) as ServiceError);
      }
    })();
  };
}
