import type { UntypedServiceImplementation } from "@grpc/grpc-js";
import type { WriteAuthorizer } from "../auth/write-authorizer";
import { UnimplementedTeamsService } from "../gen/teams";
import type { Logger } from "../logger";
import type { TeamStore } from "../store/team-store";
import type { ChangeFeed } from "../watch/change-feed";
import { DEFAULT_WATCH_SETTINGS, type WatchSettings } from "../watch/watch-settings";
import { deleteTeam } from "./delete-team";
import { getTeam } from "./get-team";
import { importTeams } from "./import-teams";
import { listTeams } from "./list-teams";
import { lookupTeams } from "./lookup-teams";
import { putTeam } from "./put-team";
import { watchTeams } from "./watch-teams";

/** The generated service definition, re-exported so callers need not reach into gen/. */
export const teamsServiceDefinition = UnimplementedTeamsService.definition;

type TeamsHandlers = Omit<UnimplementedTeamsService, never> & UntypedServiceImplementation;

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
    watch: watch.settings ?? DEFAULT_WATCH_SETTINGS,
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
