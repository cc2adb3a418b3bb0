// The server module's public surface: other workspaces import "@teams/server".
export { TeamDirectory } from "./directory";
export type { LogLevel } from "./logger";
export { errorReasonOf, fieldViolationsOf, STATUS_DETAILS_KEY } from "./rich-error";
export { NOT_A_MEMBER } from "./rpc/team-messages";
export {
  DEFAULT_PORT,
  DEFAULT_TEAMS_FILE,
  type RunningServer,
  type ServerOptions,
  startServer,
} from "./server";
export type { TeamRecord } from "./team-record";
export { loadTeamsFile, TeamsFileError } from "./teams-file";
