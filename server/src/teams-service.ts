import type {
  ServerWritableStream,
  ServiceError,
  UntypedServiceImplementation,
} from "@grpc/grpc-js";
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

/** The Teams handlers over one directory (the server's interceptor logs each call). */
export function createTeamsHandlers(
  directory: TeamDirectory,
  logger: Logger,
): TeamsHandlers & UntypedServiceImplementation {
  return {
    GetTeam(call, callback) {
      const city = call.request.city;
      const violation = checkCity(city);
      if (violation) {
        callback(invalidArgument(violation) as ServiceError);
        return;
      }
      const team = directory.find(city);
      const response = team
        ? new TeamResponse({ city: team.city, nickname: team.nickname, found: true })
        : new TeamResponse({ city: city.trim(), nickname: notAMember, found: false });
      callback(null, response);
    },

    ListTeams(call) {
      streamTeams(directory, call).catch((error: unknown) => {
        logger.error("ListTeams failed", { error: String(error) });
        call.emit("error", internalError(error));
      });
    },
  };
}

async function streamTeams(
  directory: TeamDirectory,
  call: ServerWritableStream<ListTeamsRequest, TeamResponse>,
): Promise<void> {
  const { prefix, limit } = call.request;
  const violation = checkPrefix(prefix);
  if (violation) {
    call.emit("error", invalidArgument(violation));
    return;
  }
  for (const team of directory.list(prefix, limit)) {
    if (isGone(call)) break;
    const flushed = call.write(
      new TeamResponse({ city: team.city, nickname: team.nickname, found: true }),
    );
    // Backpressure: a slow reader must not make us buffer the whole directory.
    if (!flushed) await drainedOrCancelled(call);
  }
  if (isGone(call)) return;
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
