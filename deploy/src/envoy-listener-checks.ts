// Envoy listeners: the gRPC-Web listener's filters and routes, and the limits every listener needs.
import { maxHeaderSize } from "node:http";
import {
  connectionManager,
  type EnvoyRoute,
  type HttpConnectionManager,
  type Listener,
} from "./envoy-config-shape.ts";
import { checkCors, corsFilter } from "./envoy-cors-checks.ts";
import type { StackFacts } from "./stack-facts.ts";
import { sameSet } from "./unordered-lists.ts";

// jwt_authn after CORS, so a preflight is answered before any token is asked for.
const requiredFilters = [
  "envoy.filters.http.grpc_web",
  "envoy.filters.http.grpc_stats",
  corsFilter,
  "envoy.filters.http.jwt_authn",
  "envoy.filters.http.router",
];

export function hasGrpcWeb(manager: HttpConnectionManager | undefined): boolean {
  return (manager?.http_filters ?? []).some(
    (filter) => filter.name === "envoy.filters.http.grpc_web",
  );
}

function isGrpcRouteSafeForStreams(route: EnvoyRoute): boolean {
  return (
    route.route?.timeout === "0s" &&
    route.route.max_stream_duration?.grpc_timeout_header_max !== undefined
  );
}

export function checkGrpcWebListener(
  listener: Listener,
  facts: StackFacts,
  serverCluster: string,
  webCluster: string | undefined,
): string[] {
  const problems: string[] = [];
  const where = `listener ${listener.name}`;
  const manager = connectionManager(listener);
  if (!manager) return [`${where}: has no HTTP connection manager`];
  const filters = (manager.http_filters ?? []).map((filter) => filter.name ?? "");
  if (filters.join() !== requiredFilters.join()) {
    problems.push(
      `${where}: http_filters must be ${requiredFilters.join(", ")} in that order, got ${filters.join(", ")}`,
    );
  }
  const routes = (manager.route_config?.virtual_hosts ?? []).flatMap((host) => host.routes ?? []);
  const grpcRoutes = routes.filter((route) => route.route?.cluster === serverCluster);
  const routed = grpcRoutes.map((route) => route.match?.prefix ?? route.match?.path ?? "");
  if (!sameSet(routed, facts.grpcPrefixes)) {
    problems.push(
      `${where}: routes to ${serverCluster} must be exactly ${facts.grpcPrefixes.join(", ")} (proto/teams.proto plus health), got ${routed.join(", ")}`,
    );
  }
  const gatewayPrefixes = facts.gateway.services.split(",").map((name) => `/${name.trim()}/`);
  if (!sameSet(routed, gatewayPrefixes)) {
    problems.push(
      `${where}: routes to ${serverCluster} must match the Node gateway's GATEWAY_SERVICES default (${facts.gateway.services}, gateway/src/gateway-services.ts), got ${routed.join(", ")}`,
    );
  }
  const last = routes.at(-1);
  if (last?.match?.prefix !== "/" || last.route?.cluster !== webCluster) {
    problems.push(`${where}: the last route must send prefix / to the web service's cluster`);
  }
  problems.push(...checkCors(manager, facts.gateway).map((problem) => `${where}: ${problem}`));
  return problems;
}

/** Limits and stream settings every listener needs, gRPC-Web or native. */
export function checkHttpLimits(
  listener: Listener,
  facts: StackFacts,
  serverCluster: string,
): string[] {
  const problems: string[] = [];
  const where = `listener ${listener.name}`;
  const manager = connectionManager(listener);
  if (listener.per_connection_buffer_limit_bytes !== facts.gateway.maxMessageBytes) {
    problems.push(
      `${where}.per_connection_buffer_limit_bytes: must be ${facts.gateway.maxMessageBytes} (the gateway's max message), got ${listener.per_connection_buffer_limit_bytes}`,
    );
  }
  // The gateway is a Node http server: its request header limit is Node's maxHeaderSize.
  const headerKb = maxHeaderSize / 1024;
  if (manager?.max_request_headers_kb !== headerKb) {
    problems.push(
      `${where}: max_request_headers_kb must be ${headerKb} (Node's header limit, the gateway's), got ${manager?.max_request_headers_kb}`,
    );
  }
  const idle = Number.parseFloat(manager?.stream_idle_timeout ?? "0");
  if (!(idle >= 60)) {
    problems.push(
      `${where}: stream_idle_timeout must be set to at least 60s so idle-looking streams are not cut`,
    );
  }
  for (const route of (manager?.route_config?.virtual_hosts ?? []).flatMap(
    (host) => host.routes ?? [],
  )) {
    if (route.route?.cluster === serverCluster && !isGrpcRouteSafeForStreams(route)) {
      problems.push(
        `${where}: route ${route.match?.prefix}: needs timeout: 0s (streams) and max_stream_duration.grpc_timeout_header_max (deadlines)`,
      );
    }
  }
  return problems;
}
