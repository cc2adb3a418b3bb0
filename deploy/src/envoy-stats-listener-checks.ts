// The Prometheus listener: Envoy's /stats/prometheus, routed to its admin interface. The admin
// interface can change Envoy's state, so nothing else of it may be reachable.
import {
  type Cluster,
  clusterAddresses,
  connectionManager,
  type Listener,
} from "./envoy-config-shape.ts";
import type { StackFacts } from "./stack-facts.ts";

function adminPort(facts: StackFacts): number | undefined {
  return facts.envoy.admin?.address?.socket_address?.port_value;
}

/** Names of the clusters that send to Envoy's own admin port. */
export function adminClusterNames(clusters: Cluster[], facts: StackFacts): Set<string> {
  return new Set(
    clusters
      .filter((cluster) =>
        clusterAddresses(cluster).some((address) => address.port_value === adminPort(facts)),
      )
      .map((cluster) => cluster.name ?? ""),
  );
}

/** A listener whose every route goes to the admin interface or answers by itself. */
export function isStatsListener(listener: Listener, adminClusters: ReadonlySet<string>): boolean {
  const routes = (connectionManager(listener)?.route_config?.virtual_hosts ?? []).flatMap(
    (host) => host.routes ?? [],
  );
  return (
    routes.some((route) => adminClusters.has(route.route?.cluster ?? "")) &&
    routes.every((route) => adminClusters.has(route.route?.cluster ?? "") || route.direct_response)
  );
}

/** The admin interface can change Envoy's state: only its Prometheus page may be reachable. */
export function checkStatsListener(
  listener: Listener,
  adminClusters: ReadonlySet<string>,
): string[] {
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
