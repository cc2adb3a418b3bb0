// The subset of protoc-gen-validate rules that Envoy enforces on load and that a hand-written
// config trips over most: required messages and oneofs, string lengths, number and duration
// bounds, list sizes. Rules are read from the protobufjs reflection options.
import type protobuf from "protobufjs";
import { durationNanos, parseDuration } from "./proto-json-scalars.ts";

export type Rules = Record<string, unknown>;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function deepMerge(target: Rules, source: Rules): Rules {
  for (const [key, value] of Object.entries(source)) {
    const existing = target[key];
    target[key] = isRecord(existing) && isRecord(value) ? deepMerge({ ...existing }, value) : value;
  }
  return target;
}

/**
 * The `(validate.rules)` of a field. protobufjs keeps some as parsedOptions objects and others
 * flattened into options keys such as "(validate.rules).string.min_len"; both are merged.
 */
export function readFieldRules(field: protobuf.Field): Rules | undefined {
  let rules: Rules | undefined;
  for (const parsed of (field.parsedOptions ?? []) as unknown[]) {
    const value = (parsed as Rules)["(validate.rules)"];
    if (isRecord(value)) rules = deepMerge(rules ?? {}, value);
  }
  for (const [key, value] of Object.entries(field.options ?? {})) {
    if (!key.startsWith("(validate.rules).")) continue;
    const path = key.slice("(validate.rules).".length).split(".");
    let nested: Rules = {};
    const top = nested;
    path.forEach((part, index) => {
      if (index === path.length - 1) nested[part] = value;
      else nested = nested[part] = {};
    });
    rules = deepMerge(rules ?? {}, top);
  }
  return rules;
}

export function isOneofRequired(oneof: protobuf.OneOf): boolean {
  return oneof.options?.["(validate.required)"] === true;
}

function toBigInt(value: unknown): bigint | undefined {
  if (typeof value === "number" && Number.isInteger(value)) return BigInt(value);
  if (typeof value === "string" && /^-?\d+$/.test(value)) return BigInt(value);
  return undefined;
}

function compareNumbers(a: unknown, b: unknown): number {
  const bigA = toBigInt(a);
  const bigB = toBigInt(b);
  if (bigA !== undefined && bigB !== undefined) return bigA < bigB ? -1 : bigA > bigB ? 1 : 0;
  return Number(a) - Number(b);
}

const boundWords: Record<string, [string, (order: number) => boolean]> = {
  gt: ["greater than", (order) => order > 0],
  gte: ["at least", (order) => order >= 0],
  lt: ["less than", (order) => order < 0],
  lte: ["at most", (order) => order <= 0],
  const: ["exactly", (order) => order === 0],
};

function checkBounds(
  rules: Rules,
  value: unknown,
  compare: (a: unknown, b: unknown) => number,
  show: (bound: unknown) => string,
): string[] {
  const problems: string[] = [];
  for (const [name, [words, holds]] of Object.entries(boundWords)) {
    if (!(name in rules)) continue;
    if (!holds(compare(value, rules[name]))) {
      problems.push(`must be ${words} ${show(rules[name])}, got ${show(value)}`);
    }
  }
  if (Array.isArray(rules.in) && !rules.in.some((allowed) => compare(value, allowed) === 0)) {
    problems.push(`must be one of ${rules.in.map(show).join(", ")}, got ${show(value)}`);
  }
  return problems;
}

function checkString(rules: Rules, value: string): string[] {
  const problems: string[] = [];
  const chars = [...value].length;
  const bytes = Buffer.byteLength(value);
  const min = Number(rules.min_len ?? rules.len ?? 0);
  const max = Number(rules.max_len ?? rules.len ?? Number.POSITIVE_INFINITY);
  if (chars < min) problems.push(`must be at least ${min} characters, got ${chars}`);
  if (chars > max) problems.push(`must be at most ${max} characters, got ${chars}`);
  if (rules.min_bytes !== undefined && bytes < Number(rules.min_bytes)) {
    problems.push(`must be at least ${rules.min_bytes} bytes, got ${bytes}`);
  }
  if (rules.max_bytes !== undefined && bytes > Number(rules.max_bytes)) {
    problems.push(`must be at most ${rules.max_bytes} bytes, got ${bytes}`);
  }
  if (typeof rules.prefix === "string" && !value.startsWith(rules.prefix)) {
    problems.push(`must start with "${rules.prefix}"`);
  }
  if (Array.isArray(rules.in) && !rules.in.includes(value)) {
    problems.push(`must be one of ${rules.in.join(", ")}, got "${value}"`);
  }
  return problems;
}

const numberKinds = [
  "int32",
  "int64",
  "uint32",
  "uint64",
  "sint32",
  "sint64",
  "fixed32",
  "fixed64",
  "sfixed32",
  "sfixed64",
  "double",
  "float",
];

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || value === "" || value === 0 || value === "0";
}

/**
 * Checks one value against the scalar/duration part of its rules. `value` is the JSON value, or
 * the field's default when a proto3 scalar is absent (PGV checks defaults too: an empty cluster
 * name fails `min_len: 1`).
 */
export function checkValueRules(rules: Rules, value: unknown): string[] {
  for (const kind of numberKinds) {
    const numberRules = rules[kind];
    if (!isRecord(numberRules)) continue;
    if (numberRules.ignore_empty === true && isEmpty(value)) return [];
    return checkBounds(numberRules, value ?? 0, compareNumbers, (bound) => String(bound));
  }
  if (isRecord(rules.string) && (typeof value === "string" || value === undefined)) {
    if (rules.string.ignore_empty === true && isEmpty(value)) return [];
    return checkString(rules.string, value ?? "");
  }
  if (isRecord(rules.duration) && value !== undefined && value !== null) {
    const parsed = parseDuration(value);
    if (!parsed) return [];
    const asNanos = (bound: unknown) =>
      isRecord(bound) ? durationNanos(bound) : durationNanos(parsed);
    const showDuration = (bound: unknown) =>
      isRecord(bound) ? `${Number(durationNanos(bound)) / 1e9}s` : String(bound);
    const { required: _required, ...bounds } = rules.duration;
    return checkBounds(
      bounds,
      value,
      (a, b) => {
        const left = asNanos(a);
        const right = asNanos(b);
        return left < right ? -1 : left > right ? 1 : 0;
      },
      showDuration,
    );
  }
  return [];
}

/** Whether the rules demand that a message field is set. */
export function isFieldRequired(rules: Rules): boolean {
  const kinds = ["message", "duration", "timestamp", "any"];
  return kinds.some((kind) => isRecord(rules[kind]) && rules[kind].required === true);
}

/** List and map size rules; returns the rules for each item, if any. */
export function checkCollectionRules(
  rules: Rules,
  size: number,
): { problems: string[]; itemRules?: Rules } {
  const problems: string[] = [];
  const collection = isRecord(rules.repeated)
    ? rules.repeated
    : isRecord(rules.map)
      ? rules.map
      : undefined;
  if (!collection) return { problems };
  const min = collection.min_items ?? collection.min_pairs;
  const max = collection.max_items ?? collection.max_pairs;
  if (min !== undefined && size < Number(min))
    problems.push(`needs at least ${min} entries, got ${size}`);
  if (max !== undefined && size > Number(max))
    problems.push(`allows at most ${max} entries, got ${size}`);
  const items = collection.items ?? collection.values;
  return { problems, itemRules: isRecord(items) ? items : undefined };
}

/** The allowed @type URLs of an Any field (`any.in`), if restricted. */
export function allowedAnyTypes(rules: Rules | undefined): string[] | undefined {
  const any = rules?.any;
  return isRecord(any) && Array.isArray(any.in) ? (any.in as string[]) : undefined;
}
