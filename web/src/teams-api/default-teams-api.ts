import { createGrpcWebTeamsApi } from "./grpc-web-teams-api.ts";
import type { TeamsApi } from "./teams-api.ts";

/**
 * Where the page sends its gRPC-Web calls: its own origin (the gateway or Envoy serves both
 * the page and /Teams/*), unless VITE_TEAMS_URL was set at build time.
 */
export function teamsEndpoint(): string {
  const configured = import.meta.env.VITE_TEAMS_URL?.trim();
  return (configured || window.location.origin).replace(/\/+$/, "");
}

let shared: TeamsApi | undefined;

/** The real client, created on first use and then reused: one per page, not per render. */
export function defaultTeamsApi(): TeamsApi {
  shared ??= createGrpcWebTeamsApi(teamsEndpoint());
  return shared;
}
