// GetTeam, the hot path: a found team is answered with bytes serialized once per stored
// version. The store's read cache (store/cached-team-store.ts) hands out the same StoredTeam
// object until the change sequence evicts it, so bytes remembered per object (a WeakMap,
// checked against the version) are exactly as fresh as that cache, and go with it.
import type { ServerUnaryCall, ServiceError, sendUnaryData } from "@grpc/grpc-js";
import { type TeamRequest, type TeamResponse, UnimplementedTeamsService } from "../gen/teams.ts";
import { invalidArgument } from "../rich-error.ts";
import type { StoredTeam } from "../store/team-store.ts";
import { checkCity } from "../validation.ts";
import type { HandlerContext } from "./handler-context.ts";
import { storeFailure } from "./store-status.ts";
import { notFoundResponse, teamResponse } from "./team-messages.ts";

/** What GetTeam answers with: a message, or the serialized bytes of one. */
export type GetTeamAnswer = TeamResponse | Buffer;

/** GetTeam as the server serves it: the generated method, taking serialized answers as they are. */
export const getTeamMethod = {
  ...UnimplementedTeamsService.definition.GetTeam,
  responseSerialize: (answer: GetTeamAnswer): Buffer =>
    Buffer.isBuffer(answer) ? answer : Buffer.from(answer.serialize()),
};

/** A found team's response bytes, with the version they were made from. */
type Serialized = { version: number; bytes: Buffer };

/** GetTeam, as the tutorial answers it: an unknown city is OK with "not a member". */
export function getTeam({ store }: HandlerContext) {
  const serialized = new WeakMap<StoredTeam, Serialized>();
  const found = (team: StoredTeam): Buffer => {
    const known = serialized.get(team);
    if (known?.version === team.version) return known.bytes;
    const bytes = Buffer.from(teamResponse(team).serialize());
    serialized.set(team, { version: team.version, bytes });
    return bytes;
  };
  return (
    call: ServerUnaryCall<TeamRequest, TeamResponse>,
    callback: sendUnaryData<GetTeamAnswer>,
  ): void => {
    const city = call.request.city;
    const violation = checkCity(city);
    if (violation) {
      callback(invalidArgument(violation) as ServiceError);
      return;
    }
    store.get(city).then(
      (team) => callback(null, team ? found(team) : notFoundResponse(city)),
      (error: unknown) => callback(storeFailure(error) as ServiceError),
    );
  };
}
