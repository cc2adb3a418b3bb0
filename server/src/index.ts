// The server module's public surface: other workspaces import "@teams/server".
export {
  type AuthConfig,
  developmentAudience,
  developmentIssuer,
  readAuthConfig,
} from "./auth/auth-config.ts";
export { signDevelopmentToken } from "./auth/development-token.ts";
export { createWriteAuthorizer, writeScope } from "./auth/jwt-write-authorizer.ts";
export type { WriteAuthorizer, WriteCaller } from "./auth/write-authorizer.ts";
export { TeamDirectory } from "./directory.ts";
export type { LogLevel } from "./logger.ts";
export { errorDomain, errorInfoOf, fieldViolationsOf, statusDetailsKey } from "./rich-error.ts";
export { notAMember } from "./rpc/team-messages.ts";
export {
  defaultPort,
  defaultTeamsFile,
  type RunningServer,
  type ServerOptions,
  startServer,
} from "./server.ts";
export { importTeams } from "./store/import-teams.ts";
export { openTeamStore, type StoreConfig } from "./store/open-team-store.ts";
export type { TeamStore } from "./store/team-store.ts";
export type { TeamRecord } from "./team-record.ts";
export { loadTeamsFile, TeamsFileError } from "./teams-file.ts";
export { loadServerTracing, type ServerTracing } from "./tracing/server-tracing.ts";
export { defaultWatchSettings, type WatchSettings } from "./watch/watch-settings.ts";
