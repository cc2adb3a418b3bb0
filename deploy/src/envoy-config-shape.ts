// The parts of an Envoy v3 bootstrap that the consistency checks read, typed. Only used on a
// config that already passed the schema check, so the shapes are right; fields may be absent.

export interface SocketAddress {
  address?: string;
  port_value?: number;
}

export interface EnvoyRoute {
  match?: { prefix?: string; path?: string };
  route?: {
    cluster?: string;
    timeout?: string;
    max_stream_duration?: { max_stream_duration?: string; grpc_timeout_header_max?: string };
  };
  direct_response?: { status?: number };
}

export interface VirtualHost {
  name?: string;
  routes?: EnvoyRoute[];
  typed_per_filter_config?: Record<string, Record<string, unknown>>;
}

export interface HttpConnectionManager {
  "@type"?: string;
  stat_prefix?: string;
  max_request_headers_kb?: number;
  stream_idle_timeout?: string;
  route_config?: { virtual_hosts?: VirtualHost[] };
  http_filters?: Array<{ name?: string; typed_config?: { "@type"?: string } }>;
}

export interface Listener {
  name?: string;
  address?: { socket_address?: SocketAddress };
  per_connection_buffer_limit_bytes?: number;
  filter_chains?: Array<{
    filters?: Array<{ name?: string; typed_config?: HttpConnectionManager }>;
  }>;
}

export interface Cluster {
  name?: string;
  type?: string;
  lb_policy?: string;
  per_connection_buffer_limit_bytes?: number;
  typed_extension_protocol_options?: Record<
    string,
    { explicit_http_config?: { http2_protocol_options?: unknown } }
  >;
  load_assignment?: {
    endpoints?: Array<{
      lb_endpoints?: Array<{ endpoint?: { address?: { socket_address?: SocketAddress } } }>;
    }>;
  };
  health_checks?: Array<{ grpc_health_check?: { service_name?: string } }>;
  outlier_detection?: unknown;
  circuit_breakers?: unknown;
}

export interface EnvoyBootstrap {
  admin?: { address?: { socket_address?: SocketAddress } };
  static_resources?: { listeners?: Listener[]; clusters?: Cluster[] };
}

export const hcmType =
  "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager";

/** The HTTP connection manager of a listener's first filter chain, if it has one. */
export function connectionManager(listener: Listener): HttpConnectionManager | undefined {
  const filter = listener.filter_chains?.[0]?.filters?.find(
    (item) => item.typed_config?.["@type"] === hcmType,
  );
  return filter?.typed_config;
}

/** Every address a cluster sends to. */
export function clusterAddresses(cluster: Cluster): SocketAddress[] {
  return (cluster.load_assignment?.endpoints ?? []).flatMap((locality) =>
    (locality.lb_endpoints ?? []).flatMap((lb) => lb.endpoint?.address?.socket_address ?? []),
  );
}
