import {
  type ServerWritableStream,
  type ServiceError,
  status,
  type UntypedServiceImplementation,
} from "@grpc/grpc-js";
import { startCallLog } from "./call-log.ts";
import type { TeamDirectory } from "./directory.ts";
import { type ListTeamsRequest, TeamResponse, UnimplementedTeamsService } from "./gen/teams.ts";
import type { Logger } from "./logger.ts";
import { internalError, invalidArgument } from "./rich-error.ts";
import { checkCity, checkPrefix } from "./validation.ts";

/** The generated service definition, re-exported so callers need not reach into gen/. */
export const teamsServiceDefinition = UnimplementedTeamsService.definition;

/** The nickname an unknown city answers with, as the tutorial prints it ("Miami not a member"). */
export const notAMember = "not a member";

type TeamsHandlers = Pick<UnimplementedTeamsService, "GetTeam" | "ListTeams">;

/** The Teams handlers over one directory; every call writes one log line. */
export function createTeamsHandlers(
  directory: TeamDirectory,
  logger: Logger,
): TeamsHandlers & UntypedServiceImplementation {
  return {
    GetTeam(call, callback) {
      const city = call.request.city;
      const log = startCallLog(logger, "/Teams/GetTeam", call, { city });
      const violation = checkCity(city);
      if (violation) {
        log.end(status.INVALID_ARGUMENT);
        callback(invalidArgument(violation) as ServiceError);
        return;
      }
      const team = directory.find(city);
      const response = team
        ? new TeamResponse({ city: team.city, nickname: team.nickname, found: true })
        : new TeamResponse({ city: city.trim(), nickname: notAMember, found: false });
      log.end(status.OK, { found: response.found });
      callback(null, response);
    },

    ListTeams(call) {
      streamTeams(directory, logger, call).catch((error: unknown) => {
        logger.error("ListTeams failed", { error: String(error) });
        call.emit("error", internalError(error));
      });
    },
  };
}

async function streamTeams(
  directory: TeamDirectory,
  logger: Logger,
  call: ServerWritableStream<ListTeamsRequest, TeamResponse>,
): Promise<void> {
  const { prefix, limit } = call.request;
  const log = startCallLog(logger, "/Teams/ListTeams", call, { prefix, limit });
  const violation = checkPrefix(prefix);
  if (violation) {
    log.end(status.INVALID_ARGUMENT);
    call.emit("error", invalidArgument(violation));
    return;
  }
  let sent = 0;
  for (const team of directory.list(prefix, limit)) {
    if (isGone(call)) break;
    const flushed = call.write(
      new TeamResponse({ city: team.city, nickname: team.nickname, found: true }),
    );
    sent++;
    // Backpressure: a slow reader must not make us buffer the whole directory.
    if (!flushed) await drainedOrCancelled(call);
  }
  if (isGone(call)) {
    log.end(status.CANCELLED, { sent });
    return;
  }
  log.end(status.OK, { sent });
  call.end();
}

/** The client cancelled or the stream was torn down: nothing more can be sent. */
function isGone(call: ServerWritableStream<ListTeamsRequest, TeamResponse>): boolean {
  return call.cancelled || call.destroyed;
}

/** Resolves on 'drain', or at once when the client goes away (no drain would ever come). */
function drainedOrCancelled(
  call: ServerWritableStream<ListTeamsRequest, TeamResponse>,
): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      call.off("drain", done);
      call.off("cancelled", done);
      call.off("close", done);
      resolve();
    };
    call.on("drain", done);
    call.on("cancelled", done);
    call.on("close", done);
  });
}
