import type { UntypedServiceImplementation } from "@grpc/grpc-js";
import type { WriteAuthorizer } from "../auth/write-authorizer.ts";
import { UnimplementedTeamsService } from "../gen/teams.ts";
import type { Logger } from "../logger.ts";
import type { TeamStore } from "../store/team-store.ts";
import type { ChangeFeed } from "../watch/change-feed.ts";
import { serializeTeamEvent } from "../watch/team-events.ts";
import { defaultWatchSettings, type WatchSettings } from "../watch/watch-settings.ts";
import { deleteTeam } from "./delete-team.ts";
import { getTeam, getTeamMethod } from "./get-team.ts";
import { importTeams } from "./import-teams.ts";
import { listTeams, listTeamsMethod } from "./list-teams.ts";
import { lookupTeams } from "./lookup-teams.ts";
import { putTeam } from "./put-team.ts";
import { watchTeams } from "./watch-teams.ts";

const generated = UnimplementedTeamsService.definition;

/**
 * The generated service definition as the server serves it (so callers need not reach into
 * gen/): GetTeam may answer with bytes it serialized before (see get-team.ts), ListTeams writes
 * pages serialized as they are read (list-teams.ts), and WatchTeams' events are encoded once per
 * change for all watches (serializeTeamEvent).
 */
export const teamsServiceDefinition = {
  ...generated,
  GetTeam: getTeamMethod,
  ListTeams: listTeamsMethod,
  WatchTeams: { ...generated.WatchTeams, responseSerialize: serializeTeamEvent },
};

type TeamsHandlers = Omit<UnimplementedTeamsService, "GetTeam" | "ListTeams"> & {
  GetTeam: ReturnType<typeof getTeam>;
  ListTeams: ReturnType<typeof listTeams>;
} & UntypedServiceImplementation;

/**
 * Every Teams handler over one store. Writes ask `authorizer` first, log their
 * caller's subject and wake `feed`, which WatchTeams streams read.
 */
export function createTeamsHandlers(
  store: TeamStore,
  authorizer: WriteAuthorizer,
  logger: Logger,
  watch: { feed: ChangeFeed; settings?: WatchSettings },
): TeamsHandlers {
  const context = {
    store,
    authorizer,
    logger,
    feed: watch.feed,
    watch: watch.settings ?? defaultWatchSettings,
  };
  return {
    GetTeam: getTeam(context),
    ListTeams: listTeams(context),
    PutTeam: putTeam(context),
    DeleteTeam: deleteTeam(context),
    ImportTeams: importTeams(context),
    LookupTeams: lookupTeams(context),
    WatchTeams: watchTeams(context),
  };
}
