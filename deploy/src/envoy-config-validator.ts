// Strict proto3-JSON check of an Envoy config against Envoy's own v3 API protos: what Envoy
// itself would refuse at start-up (unknown fields, unknown @type, bad enums and durations,
// PGV rules) plus what it would only warn about (deprecated fields), so CI catches both
// without an Envoy binary. protobufjs' own fromObject is lenient, hence this walk.
import protobuf from "protobufjs";
import { parseDocument } from "yaml";
import { loadEnvoyApiProtos } from "./envoy-api-protos.ts";
import { checkScalar, isTimestamp, parseDuration } from "./proto-json-scalars.ts";
import {
  allowedAnyTypes,
  checkCollectionRules,
  checkValueRules,
  isFieldRequired,
  isOneofRequired,
  type Rules,
  readFieldRules,
} from "./validate-rules.ts";

/** One thing to fix, at a path like `static_resources.clusters[0].connect_timeout`. */
export interface ConfigProblem {
  path: string;
  message: string;
}

export const bootstrapType = "envoy.config.bootstrap.v3.Bootstrap";

// Where an Any may only hold one family of extensions (Envoy picks the extension by @type, so a
// valid message of the wrong family would fail at start-up as "didn't find a registered ...").
const anyFamilies: Record<string, string> = {
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
const keyedByTypeName = new Set([
  "envoy.config.cluster.v3.Cluster.typed_extension_protocol_options",
]);

const wrapperTypes = new Set(
  ["Double", "Float", "Int64", "UInt64", "Int32", "UInt32", "Bool", "String", "Bytes"].map(
    (kind) => `google.protobuf.${kind}Value`,
  ),
);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function fullName(reflection: protobuf.ReflectionObject): string {
  return reflection.fullName.replace(/^\./, "");
}

function isDeprecated(options: Record<string, unknown> | undefined): boolean {
  return (
    options?.deprecated === true ||
    options?.["(envoy.annotations.deprecated_at_minor_version)"] !== undefined ||
    options?.["(envoy.annotations.deprecated_at_minor_version_enum)"] !== undefined
  );
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + cost,
      );
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

function suggestion(key: string, candidates: string[]): string {
  const near = candidates
    .map((candidate) => ({ candidate, distance: editDistance(key, candidate) }))
    .filter(({ distance }) => distance <= Math.max(2, Math.floor(key.length / 4)))
    .sort((a, b) => a.distance - b.distance)[0];
  return near ? ` (did you mean "${near.candidate}"?)` : "";
}

function join(path: string, key: string | number): string {
  if (typeof key === "number") return `${path}[${key}]`;
  const segment = /^[A-Za-z_@][\w@]*$/.test(key) ? key : JSON.stringify(key);
  return path ? `${path}.${segment}` : segment;
}

/** Walks a JSON value against protobufjs reflection types, collecting every problem. */
export class EnvoyConfigValidator {
  private readonly problems: ConfigProblem[] = [];

  constructor(private readonly root: protobuf.Root) {}

  /** Problems of `value` as a `typeName` message (e.g. bootstrapType); empty when valid. */
  validate(typeName: string, value: unknown): ConfigProblem[] {
    this.problems.length = 0;
    this.checkMessage(this.root.lookupType(typeName), value, "");
    return [...this.problems];
  }

  private report(path: string, message: string): void {
    this.problems.push({ path: path || "(root)", message });
  }

  private fieldsByKey(type: protobuf.Type): Map<string, protobuf.Field> {
    const byKey = new Map<string, protobuf.Field>();
    for (const field of type.fieldsArray) {
      byKey.set(field.name, field);
      byKey.set(protobuf.util.camelCase(field.name), field);
    }
    return byKey;
  }

  private checkMessage(
    type: protobuf.Type,
    value: unknown,
    path: string,
    anyFamily?: string,
  ): void {
    const name = fullName(type);
    if (this.checkWellKnown(name, type, value, path, anyFamily)) return;
    if (!isRecord(value)) {
      this.report(path, `must be an object (${name}), got ${JSON.stringify(value)}`);
      return;
    }
    if (isDeprecated(type.options)) this.report(path, `${name} is deprecated`);
    const byKey = this.fieldsByKey(type);
    const present = new Set<protobuf.Field>();
    for (const [key, fieldValue] of Object.entries(value)) {
      const field = byKey.get(key);
      if (!field) {
        const names = type.fieldsArray.map((candidate) => candidate.name);
        this.report(join(path, key), `unknown field "${key}" in ${name}${suggestion(key, names)}`);
        continue;
      }
      if (present.has(field)) {
        this.report(
          join(path, key),
          `field "${field.name}" is set twice (snake_case and camelCase)`,
        );
      }
      if (fieldValue !== null) present.add(field);
      this.checkField(type, field, fieldValue, join(path, key));
    }
    this.checkOneofs(type, present, path);
    this.checkAbsentFieldRules(type, present, path);
  }

  private checkOneofs(type: protobuf.Type, present: Set<protobuf.Field>, path: string): void {
    for (const oneof of type.oneofsArray) {
      if (oneof.name.startsWith("_")) continue; // proto3 `optional`: synthetic, one member
      const set = oneof.fieldsArray
        .filter((field) => present.has(field))
        .map((field) => field.name);
      const all = oneof.fieldsArray.map((field) => field.name).join(", ");
      if (set.length > 1)
        this.report(path, `only one of ${set.join(", ")} may be set (oneof ${oneof.name})`);
      if (set.length === 0 && isOneofRequired(oneof)) {
        this.report(path, `one of ${all} is required (oneof ${oneof.name})`);
      }
    }
  }

  /** PGV checks defaults too: an absent proto3 string with `min_len: 1` fails in Envoy. */
  private checkAbsentFieldRules(
    type: protobuf.Type,
    present: Set<protobuf.Field>,
    path: string,
  ): void {
    for (const field of type.fieldsArray) {
      if (present.has(field) || field.partOf) continue;
      const rules = readFieldRules(field);
      if (!rules) continue;
      const where = join(path, field.name);
      if (field.resolvedType instanceof protobuf.Type && isFieldRequired(rules)) {
        this.report(where, `is required in ${fullName(type)}`);
      } else if (field.repeated || field.map) {
        for (const problem of checkCollectionRules(rules, 0).problems) this.report(where, problem);
      } else if (!field.resolvedType) {
        for (const problem of checkValueRules(rules, undefined)) this.report(where, problem);
      }
    }
  }

  private checkField(
    parent: protobuf.Type,
    field: protobuf.Field,
    value: unknown,
    path: string,
  ): void {
    if (isDeprecated(field.options)) {
      this.report(path, `${fullName(parent)}.${field.name} is deprecated; use its replacement`);
    }
    if (value === null) return; // proto3 JSON: null means "not set"
    const rules = readFieldRules(field);
    const family = anyFamilies[`${fullName(parent)}.${field.name}`];
    if (field.map) {
      if (!isRecord(value)) {
        this.report(path, `must be a map (object), got ${JSON.stringify(value)}`);
        return;
      }
      const { problems } = checkCollectionRules(rules ?? {}, Object.keys(value).length);
      for (const problem of problems) this.report(path, problem);
      for (const [key, item] of Object.entries(value)) {
        const keyType = field instanceof protobuf.MapField ? field.keyType : "string";
        const keyProblem = keyType === "string" ? undefined : checkScalar(keyType, key);
        if (keyProblem) this.report(join(path, key), `map key ${keyProblem}`);
        this.checkValue(field, item, join(path, key), family, undefined);
        if (keyedByTypeName.has(`${fullName(parent)}.${field.name}`))
          this.checkKeyNamesType(key, item, join(path, key));
      }
      return;
    }
    if (field.repeated) {
      if (!Array.isArray(value)) {
        this.report(path, `must be a list, got ${JSON.stringify(value)}`);
        return;
      }
      const { problems, itemRules } = checkCollectionRules(rules ?? {}, value.length);
      for (const problem of problems) this.report(path, problem);
      value.forEach((item, index) => {
        this.checkValue(field, item, join(path, index), family, itemRules);
      });
      return;
    }
    this.checkValue(field, value, path, family, rules);
  }

  private checkKeyNamesType(key: string, item: unknown, path: string): void {
    const typeUrl = isRecord(item) ? item["@type"] : undefined;
    if (typeof typeUrl === "string" && typeUrl.split("/").pop() !== key) {
      this.report(path, `key must be the @type's name, "${typeUrl.split("/").pop()}"`);
    }
  }

  private checkValue(
    field: protobuf.Field,
    value: unknown,
    path: string,
    anyFamily: string | undefined,
    rules: Rules | undefined,
  ): void {
    const resolved = field.resolvedType;
    if (resolved instanceof protobuf.Enum) {
      this.checkEnum(resolved, value, path);
    } else if (resolved instanceof protobuf.Type) {
      this.checkMessage(resolved, value, path, anyFamily);
      const allowed = allowedAnyTypes(rules);
      const typeUrl = isRecord(value) ? value["@type"] : undefined;
      if (allowed && typeof typeUrl === "string" && !allowed.includes(typeUrl)) {
        this.report(path, `@type must be one of ${allowed.join(", ")}`);
      }
      if (rules && wrapperTypes.has(fullName(resolved))) {
        for (const problem of checkValueRules(rules, value)) this.report(path, problem);
      } else if (rules && fullName(resolved) === "google.protobuf.Duration") {
        for (const problem of checkValueRules(rules, value)) this.report(path, problem);
      }
    } else {
      const problem = checkScalar(field.type, value);
      if (problem) this.report(path, problem);
      else if (rules)
        for (const ruleProblem of checkValueRules(rules, value)) this.report(path, ruleProblem);
    }
  }

  private checkEnum(enumType: protobuf.Enum, value: unknown, path: string): void {
    const name = fullName(enumType);
    if (name === "google.protobuf.NullValue" && value === null) return;
    const names = Object.keys(enumType.values);
    const valueName =
      typeof value === "string"
        ? value
        : typeof value === "number"
          ? enumType.valuesById[value]
          : undefined;
    if (valueName === undefined || !(valueName in enumType.values)) {
      this.report(
        path,
        `must be one of ${names.join(", ")} (${name}), got ${JSON.stringify(value)}${typeof value === "string" ? suggestion(value, names) : ""}`,
      );
      return;
    }
    if (isDeprecated(enumType.valuesOptions?.[valueName])) {
      this.report(path, `${name}.${valueName} is deprecated`);
    }
  }

  /** Types with a special JSON form. Returns true when `name` was one of them. */
  private checkWellKnown(
    name: string,
    type: protobuf.Type,
    value: unknown,
    path: string,
    anyFamily?: string,
  ): boolean {
    const fail = (expected: string) =>
      this.report(path, `must be ${expected} (${name}), got ${JSON.stringify(value)}`);
    switch (name) {
      case "google.protobuf.Any":
        this.checkAny(value, path, anyFamily);
        return true;
      case "google.protobuf.Duration":
        if (!parseDuration(value)) fail('a duration string such as "1.5s" or "0s"');
        return true;
      case "google.protobuf.Timestamp":
        if (!isTimestamp(value)) fail("an RFC 3339 timestamp");
        return true;
      case "google.protobuf.FieldMask":
        if (typeof value !== "string") fail("a comma-separated string of paths");
        return true;
      case "google.protobuf.Struct":
        if (!isRecord(value)) fail("an object");
        return true;
      case "google.protobuf.ListValue":
        if (!Array.isArray(value)) fail("a list");
        return true;
      case "google.protobuf.Value":
        return true;
      case "google.protobuf.Empty":
        if (!isRecord(value) || Object.keys(value).length > 0) fail("{}");
        return true;
    }
    if (wrapperTypes.has(name)) {
      const inner = type.fields.value;
      const problem = inner ? checkScalar(inner.type, value) : undefined;
      if (problem) this.report(path, problem);
      return true;
    }
    return false;
  }

  private checkAny(value: unknown, path: string, family: string | undefined): void {
    if (!isRecord(value) || typeof value["@type"] !== "string") {
      this.report(path, 'must be an object with an "@type" (google.protobuf.Any)');
      return;
    }
    const { "@type": typeUrl, ...body } = value;
    const typeName = typeUrl.slice(typeUrl.lastIndexOf("/") + 1);
    const typePath = join(path, "@type");
    if (!typeUrl.startsWith("type.googleapis.com/")) {
      this.report(typePath, `must start with "type.googleapis.com/", got "${typeUrl}"`);
    }
    const type = this.root.lookup(typeName);
    if (!(type instanceof protobuf.Type)) {
      this.report(typePath, `unknown @type "${typeName}": no such message in Envoy's v3 API`);
      return;
    }
    if (family && !typeName.startsWith(family)) {
      this.report(typePath, `"${typeName}" cannot be used here: expected a type under ${family}*`);
    }
    const special = typeName.startsWith("google.protobuf.") && typeName !== "google.protobuf.Any";
    if (special) this.checkMessage(type, body.value, join(path, "value"));
    else this.checkMessage(type, body, path);
  }
}

/** Problems of a parsed config object as an Envoy v3 Bootstrap; empty when valid. */
export function validateEnvoyBootstrap(config: unknown): ConfigProblem[] {
  return new EnvoyConfigValidator(loadEnvoyApiProtos().root).validate(bootstrapType, config);
}

/** Parses YAML strictly (duplicate keys refused), then validates it as a Bootstrap. */
export function validateEnvoyYaml(text: string): { config: unknown; problems: ConfigProblem[] } {
  const document = parseDocument(text, { uniqueKeys: true, prettyErrors: false });
  if (document.errors.length > 0) {
    return {
      config: undefined,
      problems: document.errors.map((error) => ({ path: "(yaml)", message: error.message })),
    };
  }
  const config: unknown = document.toJS();
  return { config, problems: validateEnvoyBootstrap(config) };
}

export function formatProblems(problems: ConfigProblem[]): string {
  return problems.map(({ path, message }) => `${path}: ${message}`).join("\n");
}
