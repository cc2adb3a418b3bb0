// The Envoy cluster for the gRPC server: where it sends, HTTP/2, health checks, limits.
import { environmentOf } from "./compose-checks.ts";
import { type Cluster, clusterAddresses } from "./envoy-config-shape.ts";
import type { StackFacts } from "./stack-facts.ts";

/** Problems of the cluster that sends to the Compose service `serverService`. */
export function checkServerCluster(
  cluster: Cluster,
  facts: StackFacts,
  serverService: string,
): string[] {
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
