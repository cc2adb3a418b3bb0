// Does envoy.yaml fit the rest of the stack? The Compose service names and ports it sends to,
// the contract's services it routes, the Node gateway's CORS and size limits, stream settings.
// Each problem names what to change.
import { maxHeaderSize } from "node:http";
import {
  type ComposeFile,
  environmentOf,
  envoyConfigPaths,
  publishedTargets,
  serviceBuiltFrom,
} from "./compose-checks.ts";
import {
  type Cluster,
  clusterAddresses,
  connectionManager,
  type EnvoyBootstrap,
  type EnvoyRoute,
  type HttpConnectionManager,
  type Listener,
} from "./envoy-config-shape.ts";
import type { GatewayDefaults } from "./stack-files.ts";

export interface StackFacts {
  envoy: EnvoyBootstrap;
  compose: ComposeFile;
  /** `/Teams/` etc. from proto/teams.proto, plus `/grpc.health.v1.Health/`. */
  grpcPrefixes: string[];
  /** Health service names Envoy may ask for: "" and the contract's services. */
  healthServiceNames: string[];
  gateway: GatewayDefaults;
  /** The port web/nginx.conf listens on. */
  webPort: number;
}

const corsFilter = "envoy.filters.http.cors";
/**
 * Metadata the page sends (web/src/teams-api/call-metadata.ts): the token on writes and W3C
 * trace context. The Node gateway allows any header name a preflight asks for; Envoy lists them.
 */
const pageRequestHeaders = ["authorization", "traceparent", "tracestate", "baggage"];
// jwt_authn after CORS, so a preflight is answered before any token is asked for.
const requiredFilters = [
  "envoy.filters.http.grpc_web",
  "envoy.filters.http.grpc_stats",
  corsFilter,
  "envoy.filters.http.jwt_authn",
  "envoy.filters.http.router",
];

function splitList(value: unknown): string[] {
  return typeof value === "string"
    ? value
        .split(",")
        .map((item) => item.trim().toLowerCase())
        .filter(Boolean)
    : [];
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item) => b.includes(item));
}

function hasGrpcWeb(manager: HttpConnectionManager | undefined): boolean {
  return (manager?.http_filters ?? []).some(
    (filter) => filter.name === "envoy.filters.http.grpc_web",
  );
}

interface OriginMatcher {
  exact?: string;
  prefix?: string;
  safe_regex?: { regex?: string };
}

function originAllowed(matchers: OriginMatcher[], origin: string): boolean {
  return matchers.some(
    (matcher) =>
      matcher.exact === origin ||
      (matcher.prefix !== undefined && origin.startsWith(matcher.prefix)) ||
      // RE2 full match; these simple patterns mean the same in JavaScript.
      (matcher.safe_regex?.regex !== undefined &&
        new RegExp(`^(?:${matcher.safe_regex.regex})$`).test(origin)),
  );
}

/** Origins the gateway's CORS_ORIGINS allows (a sample per pattern) and some it refuses. */
function sampleOrigins(corsOrigins: string): { allowed: string[]; refused: string[] } {
  const allowed = corsOrigins
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean)
    .flatMap((entry) =>
      entry.endsWith(":*")
        ? [entry.replace(/:\*$/, ":5173"), entry.replace(/:\*$/, ":8080")]
        : [entry],
    );
  const refused = [
    "http://evil.example",
    "http://localhost.evil.example:8080",
    "https://attacker.test:5173",
  ];
  return { allowed, refused };
}

function checkCors(manager: HttpConnectionManager, gateway: GatewayDefaults): string[] {
  const problems: string[] = [];
  const hosts = manager.route_config?.virtual_hosts ?? [];
  for (const host of hosts) {
    const policy = host.typed_per_filter_config?.[corsFilter];
    const where = `virtual host ${host.name}: typed_per_filter_config.${corsFilter}`;
    if (!policy) {
      problems.push(`${where}: missing; the page's CORS policy lives here (CorsPolicy)`);
      continue;
    }
    const allowHeaders = splitList(policy.allow_headers);
    const mustAllow = [...new Set([...gateway.allowedRequestHeaders, ...pageRequestHeaders])];
    if (!sameSet(allowHeaders, mustAllow)) {
      problems.push(
        `${where}.allow_headers: must be ${mustAllow.join(",")} like the gateway, got ${allowHeaders.join(",")}`,
      );
    }
    const exposeHeaders = splitList(policy.expose_headers);
    if (!sameSet(exposeHeaders, gateway.exposedHeaders)) {
      problems.push(
        `${where}.expose_headers: must be ${gateway.exposedHeaders.join(",")} like the gateway, got ${exposeHeaders.join(",")}`,
      );
    }
    const matchers = (policy.allow_origin_string_match ?? []) as OriginMatcher[];
    const { allowed, refused } = sampleOrigins(gateway.corsOrigins);
    for (const origin of allowed) {
      if (!originAllowed(matchers, origin))
        problems.push(`${where}: must allow origin ${origin}, as the gateway does`);
    }
    for (const origin of refused) {
      if (originAllowed(matchers, origin))
        problems.push(`${where}: must refuse origin ${origin}, as the gateway does`);
    }
  }
  return problems;
}

function isGrpcRouteSafeForStreams(route: EnvoyRoute): boolean {
  return (
    route.route?.timeout === "0s" &&
    route.route.max_stream_duration?.grpc_timeout_header_max !== undefined
  );
}

function checkGrpcWebListener(
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
function checkHttpLimits(listener: Listener, facts: StackFacts, serverCluster: string): string[] {
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

function checkServerCluster(cluster: Cluster, facts: StackFacts, serverService: string): string[] {
  const problems: string[] = [];
  const where = `cluster ${cluster.name}`;
  const port = Number(
    environmentOf(facts.compose.services?.[serverService] ?? {}).GRPC_PORT ?? 50051,
  );
  if (cluster.type !== "STRICT_DNS")
    problems.push(`${where}: type must be STRICT_DNS so every replica's address is a host`);
  const addresses = clusterAddresses(cluster);
  if (
    addresses.length === 0 ||
    addresses.some((address) => address.address !== serverService || address.port_value !== port)
  ) {
    problems.push(
      `${where}: must send to ${serverService}:${port} (the Compose service and its GRPC_PORT)`,
    );
  }
  const http2 =
    cluster.typed_extension_protocol_options?.[
      "envoy.extensions.upstreams.http.v3.HttpProtocolOptions"
    ];
  if (!http2?.explicit_http_config?.http2_protocol_options)
    problems.push(`${where}: needs HTTP/2 upstream (explicit_http_config.http2_protocol_options)`);
  const healthNames = (cluster.health_checks ?? []).map(
    (check) => check.grpc_health_check?.service_name,
  );
  if (
    healthNames.length === 0 ||
    healthNames.some((name) => name === undefined || !facts.healthServiceNames.includes(name))
  ) {
    problems.push(
      `${where}: needs a grpc_health_check for one of "${facts.healthServiceNames.join('", "')}"`,
    );
  }
  if (!cluster.outlier_detection)
    problems.push(`${where}: needs outlier_detection to drop a failing replica`);
  if (!cluster.circuit_breakers) problems.push(`${where}: needs circuit_breakers`);
  if (cluster.per_connection_buffer_limit_bytes !== facts.gateway.maxMessageBytes) {
    problems.push(
      `${where}.per_connection_buffer_limit_bytes: must be ${facts.gateway.maxMessageBytes} (the gateway's max message)`,
    );
  }
  return problems;
}

function healthCheckText(facts: StackFacts, service: string): string {
  const test = facts.compose.services?.[service]?.healthcheck?.test;
  return Array.isArray(test) ? test.join(" ") : (test ?? "");
}

/** Each container health check must probe the port its service really listens on. */
function checkHealthCheckPorts(facts: StackFacts): string[] {
  const problems: string[] = [];
  const adminPort = facts.envoy.admin?.address?.socket_address?.port_value;
  if (!healthCheckText(facts, "envoy").includes(`127.0.0.1/${adminPort}`)) {
    problems.push(
      `docker-compose.yml envoy healthcheck: must ask the admin port 127.0.0.1:${adminPort} for /ready`,
    );
  }
  if (!healthCheckText(facts, "web").includes(`127.0.0.1:${facts.webPort}/`)) {
    problems.push(
      `docker-compose.yml web healthcheck: must fetch http://127.0.0.1:${facts.webPort}/ (web/nginx.conf listen)`,
    );
  }
  const grpcPort = environmentOf(facts.compose.services?.server ?? {}).GRPC_PORT ?? "50051";
  if (!healthCheckText(facts, "server").includes(`127.0.0.1:${grpcPort}`)) {
    problems.push(
      `docker-compose.yml server healthcheck: must probe 127.0.0.1:${grpcPort} (GRPC_PORT)`,
    );
  }
  return problems;
}

function adminPort(facts: StackFacts): number | undefined {
  return facts.envoy.admin?.address?.socket_address?.port_value;
}

/** A listener whose every route goes to the admin interface or answers by itself. */
function isStatsListener(listener: Listener, adminClusters: ReadonlySet<string>): boolean {
  const routes = (connectionManager(listener)?.route_config?.virtual_hosts ?? []).flatMap(
    (host) => host.routes ?? [],
  );
  return (
    routes.some((route) => adminClusters.has(route.route?.cluster ?? "")) &&
    routes.every((route) => adminClusters.has(route.route?.cluster ?? "") || route.direct_response)
  );
}

/** The admin interface can change Envoy's state: only its Prometheus page may be reachable. */
function checkStatsListener(listener: Listener, adminClusters: ReadonlySet<string>): string[] {
  const routes = (connectionManager(listener)?.route_config?.virtual_hosts ?? []).flatMap(
    (host) => host.routes ?? [],
  );
  const toAdmin = routes.filter((route) => adminClusters.has(route.route?.cluster ?? ""));
  return toAdmin
    .filter((route) => route.match?.path !== "/stats/prometheus")
    .map(
      (route) =>
        `listener ${listener.name}: routes ${route.match?.path ?? route.match?.prefix} to the admin interface; only the exact path /stats/prometheus may be`,
    );
}

/** Every way envoy.yaml disagrees with the rest of the stack; empty when consistent. */
export function checkEnvoyAgainstStack(facts: StackFacts): string[] {
  const problems: string[] = [];
  const listeners = facts.envoy.static_resources?.listeners ?? [];
  const clusters = facts.envoy.static_resources?.clusters ?? [];
  const serverService = serviceBuiltFrom(facts.compose, "server/Dockerfile") ?? "server";
  const webService = serviceBuiltFrom(facts.compose, "web/Dockerfile") ?? "web";
  const serverCluster = clusters.find((cluster) =>
    clusterAddresses(cluster).some((address) => address.address === serverService),
  );
  const webCluster = clusters.find((cluster) =>
    clusterAddresses(cluster).some((address) => address.address === webService),
  );
  if (!serverCluster) return [`no cluster sends to the Compose service "${serverService}"`];
  problems.push(...checkServerCluster(serverCluster, facts, serverService));
  if (!webCluster) problems.push(`no cluster sends to the Compose service "${webService}"`);
  else if (clusterAddresses(webCluster).some((address) => address.port_value !== facts.webPort)) {
    problems.push(
      `cluster ${webCluster.name}: must send to ${webService}:${facts.webPort} (web/nginx.conf listen)`,
    );
  }
  const grpcWeb = listeners.filter((listener) => hasGrpcWeb(connectionManager(listener)));
  if (grpcWeb.length !== 1)
    problems.push(`exactly one listener must translate gRPC-Web, found ${grpcWeb.length}`);
  for (const listener of grpcWeb) {
    problems.push(
      ...checkGrpcWebListener(listener, facts, serverCluster.name ?? "", webCluster?.name),
    );
  }
  // The Prometheus listener (only /stats/prometheus, to the admin interface) is internal:
  // not published, and not a call path, so the call limits do not apply to it.
  const adminClusters = new Set(
    clusters
      .filter((cluster) =>
        clusterAddresses(cluster).some((address) => address.port_value === adminPort(facts)),
      )
      .map((cluster) => cluster.name ?? ""),
  );
  const statsListeners = listeners.filter((listener) => isStatsListener(listener, adminClusters));
  const callListeners = listeners.filter((listener) => !statsListeners.includes(listener));
  for (const listener of statsListeners)
    problems.push(...checkStatsListener(listener, adminClusters));
  for (const listener of callListeners)
    problems.push(...checkHttpLimits(listener, facts, serverCluster.name ?? ""));
  const admin = facts.envoy.admin?.address?.socket_address?.address;
  if (admin !== "127.0.0.1")
    problems.push(`admin: bind to 127.0.0.1 inside the container, got ${admin}`);
  const envoyService = facts.compose.services?.envoy ?? {};
  const published = publishedTargets(envoyService).sort();
  const listening = callListeners
    .map((listener) => listener.address?.socket_address?.port_value ?? 0)
    .sort();
  if (!sameSet(published.map(String), listening.map(String))) {
    problems.push(
      `docker-compose.yml envoy ports publish ${published.join(", ")} but envoy.yaml listens on ${listening.join(", ")}`,
    );
  }
  problems.push(...checkHealthCheckPorts(facts));
  const { mountedAt, loaded } = envoyConfigPaths(envoyService);
  if (!mountedAt || mountedAt !== loaded) {
    problems.push(
      `docker-compose.yml envoy: envoy.yaml is mounted at ${mountedAt} but Envoy loads ${loaded}`,
    );
  }
  return problems;
}
