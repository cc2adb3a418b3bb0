// The server module's public surface: other workspaces import "@teams/server".
export { type AuthConfig, readAuthConfig } from "./auth/auth-config";
export { createWriteAuthorizer, WRITE_SCOPE } from "./auth/jwt-write-authorizer";
export type { WriteAuthorizer, WriteCaller } from "./auth/write-authorizer";
export { TeamDirectory } from "./directory";
export type { LogLevel } from "./logger";
export { ERROR_DOMAIN, errorInfoOf, fieldViolationsOf, STATUS_DETAILS_KEY } from "./rich-error";
export {
  DEFAULT_PORT,
  DEFAULT_TEAMS_FILE,
  type RunningServer,
  type ServerOptions,
  startServer,
} from "./server";
export type { TeamRecord } from "./team-record";
export { loadTeamsFile, TeamsFileError } from "./teams-file";
export { NOT_A_MEMBER } from "./teams-service";
