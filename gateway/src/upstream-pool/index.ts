export type { UpstreamTlsOptions } from "./connect-session.ts";
export type { EndpointStats } from "./endpoint.ts";
export type { Resolver } from "./upstream-addresses.ts";
export { UpstreamPool, type UpstreamPoolOptions, type UpstreamStats } from "./upstream-pool.ts";
