// Strict proto3-JSON check of an Envoy config against Envoy's own v3 API protos: what Envoy
// itself would refuse at start-up (unknown fields, unknown @type, bad enums and durations,
// PGV rules) plus what it would only warn about (deprecated fields), so CI catches both
// without an Envoy binary. protobufjs' own fromObject is lenient, hence this walk.
import protobuf from "protobufjs";
import { type ConfigProblem, configPath } from "./config-path.ts";
import {
  anyFamilies,
  fieldsByJsonKey,
  fullName,
  isDeprecated,
  isRecord,
  keyedByTypeName,
  wrapperTypes,
} from "./envoy-proto-types.ts";
import { checkScalar } from "./proto-json-scalars.ts";
import { checkWellKnownJson, enumValueProblems } from "./proto-json-well-known.ts";
import { suggestion } from "./spelling-suggestion.ts";
import {
  allowedAnyTypes,
  checkCollectionRules,
  checkValueRules,
  isFieldRequired,
  isOneofRequired,
  type Rules,
  readFieldRules,
} from "./validate-rules.ts";

export const bootstrapType = "envoy.config.bootstrap.v3.Bootstrap";

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
    const byKey = fieldsByJsonKey(type);
    const present = new Set<protobuf.Field>();
    for (const [key, fieldValue] of Object.entries(value)) {
      const field = byKey.get(key);
      if (!field) {
        const names = type.fieldsArray.map((candidate) => candidate.name);
        this.report(
          configPath(path, key),
          `unknown field "${key}" in ${name}${suggestion(key, names)}`,
        );
        continue;
      }
      if (present.has(field)) {
        this.report(
          configPath(path, key),
          `field "${field.name}" is set twice (snake_case and camelCase)`,
        );
      }
      if (fieldValue !== null) present.add(field);
      this.checkField(type, field, fieldValue, configPath(path, key));
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
      const where = configPath(path, field.name);
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
        if (keyProblem) this.report(configPath(path, key), `map key ${keyProblem}`);
        this.checkValue(field, item, configPath(path, key), family, undefined);
        if (keyedByTypeName.has(`${fullName(parent)}.${field.name}`))
          this.checkKeyNamesType(key, item, configPath(path, key));
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
        this.checkValue(field, item, configPath(path, index), family, itemRules);
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
      for (const problem of enumValueProblems(resolved, value)) this.report(path, problem);
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

  /** Types with a special JSON form. Returns true when `name` was one of them. */
  private checkWellKnown(
    name: string,
    type: protobuf.Type,
    value: unknown,
    path: string,
    anyFamily?: string,
  ): boolean {
    if (name === "google.protobuf.Any") {
      this.checkAny(value, path, anyFamily);
      return true;
    }
    const { known, problem } = checkWellKnownJson(name, type, value);
    if (problem) this.report(path, problem);
    return known;
  }

  private checkAny(value: unknown, path: string, family: string | undefined): void {
    if (!isRecord(value) || typeof value["@type"] !== "string") {
      this.report(path, 'must be an object with an "@type" (google.protobuf.Any)');
      return;
    }
    const { "@type": typeUrl, ...body } = value;
    const typeName = typeUrl.slice(typeUrl.lastIndexOf("/") + 1);
    const typePath = configPath(path, "@type");
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
    if (special) this.checkMessage(type, body.value, configPath(path, "value"));
    else this.checkMessage(type, body, path);
  }
}
