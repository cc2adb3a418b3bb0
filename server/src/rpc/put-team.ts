import type { ServerUnaryCall, ServiceError, sendUnaryData } from "@grpc/grpc-js";
import type { PutTeamRequest, TeamResponse } from "../gen/teams.ts";
import { invalidArgument } from "../rich-error.ts";
import type { TeamWrite } from "../store/team-store.ts";
import { checkPut } from "../validation.ts";
import { authorizeWrite, type HandlerContext, logWrite } from "./handler-context.ts";
import { storeFailure } from "./store-status.ts";
import { teamResponse } from "./team-messages.ts";

/** A PutTeamRequest (or import row) as the store takes it: trimmed, `ifVersion` only when set. */
export function teamWrite(request: PutTeamRequest): TeamWrite {
  const write: TeamWrite = { city: request.city.trim(), nickname: request.nickname.trim() };
  if (request.has_if_version) write.ifVersion = request.if_version;
  return write;
}

/** PutTeam: authorize, validate, then one conditional write; answers the team as stored. */
export function putTeam(context: HandlerContext) {
  return (
    call: ServerUnaryCall<PutTeamRequest, TeamResponse>,
    callback: sendUnaryData<TeamResponse>,
  ): void => {
    void (async () => {
      const authorized = await authorizeWrite(context.authorizer, call.metadata);
      if ("error" in authorized) return callback(authorized.error as ServiceError);
      const violations = checkPut(call.request);
      if (violations.length > 0) return callback(invalidArgument(violations) as ServiceError);
      const write = teamWrite(call.request);
      try {
        const { team, outcome } = await context.store.put(write);
        logWrite(context, call, "PutTeam", authorized.caller, {
          city: team.city,
          outcome,
          version: team.version,
        });
        callback(null, teamResponse(team));
      } catch (error) {
        callback(storeFailure(error, write.city) as ServiceError);
      }
    })();
  };
}
