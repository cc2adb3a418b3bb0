// Does envoy.yaml fit the rest of the stack? The Compose service names and ports it sends to,
// the contract's services it routes, the Node gateway's CORS and size limits, stream settings.
// Each problem names what to change.
import { envoyConfigPaths, publishedTargets, serviceBuiltFrom } from "./compose-checks.ts";
import { checkHealthCheckPorts } from "./compose-healthcheck-checks.ts";
import { checkServerCluster } from "./envoy-cluster-checks.ts";
import { clusterAddresses, connectionManager } from "./envoy-config-shape.ts";
import { checkGrpcWebListener, checkHttpLimits, hasGrpcWeb } from "./envoy-listener-checks.ts";
import {
  adminClusterNames,
  checkStatsListener,
  isStatsListener,
} from "./envoy-stats-listener-checks.ts";
import type { StackFacts } from "./stack-facts.ts";
import { sameSet } from "./unordered-lists.ts";

export type { StackFacts } from "./stack-facts.ts";

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
  const adminClusters = adminClusterNames(clusters, facts);
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
