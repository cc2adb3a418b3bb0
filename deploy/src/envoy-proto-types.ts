// What the Envoy config walk needs to know about protobufjs reflection types: which Any fields
// take which extension family, which are wrapper types, what is deprecated.
import protobuf from "protobufjs";

// Where an Any may only hold one family of extensions (Envoy picks the extension by @type, so a
// valid message of the wrong family would fail at start-up as "didn't find a registered ...").
export const anyFamilies: Record<string, string> = {
  "envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter.typed_config":
    "envoy.extensions.filters.http.",
  "envoy.config.listener.v3.Filter.typed_config": "envoy.extensions.filters.network.",
  "envoy.config.listener.v3.ListenerFilter.typed_config": "envoy.extensions.filters.listener.",
  "envoy.config.accesslog.v3.AccessLog.typed_config": "envoy.extensions.access_loggers.",
  "envoy.config.core.v3.TransportSocket.typed_config": "envoy.extensions.transport_sockets.",
  "envoy.config.route.v3.VirtualHost.typed_per_filter_config": "envoy.extensions.filters.http.",
  "envoy.config.route.v3.Route.typed_per_filter_config": "envoy.extensions.filters.http.",
};

// Map fields whose key must be the fully-qualified name of the value's @type.
export const keyedByTypeName = new Set([
  "envoy.config.cluster.v3.Cluster.typed_extension_protocol_options",
]);

export const wrapperTypes = new Set(
  ["Double", "Float", "Int64", "UInt64", "Int32", "UInt32", "Bool", "String", "Bytes"].map(
    (kind) => `google.protobuf.${kind}Value`,
  ),
);

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function fullName(reflection: protobuf.ReflectionObject): string {
  return reflection.fullName.replace(/^\./, "");
}

export function isDeprecated(options: Record<string, unknown> | undefined): boolean {
  return (
    options?.deprecated === true ||
    options?.["(envoy.annotations.deprecated_at_minor_version)"] !== undefined ||
    options?.["(envoy.annotations.deprecated_at_minor_version_enum)"] !== undefined
  );
}

/** A message's fields under both JSON spellings: `snake_case` and `camelCase`. */
export function fieldsByJsonKey(type: protobuf.Type): Map<string, protobuf.Field> {
  const byKey = new Map<string, protobuf.Field>();
  for (const field of type.fieldsArray) {
    byKey.set(field.name, field);
    byKey.set(protobuf.util.camelCase(field.name), field);
  }
  return byKey;
}
