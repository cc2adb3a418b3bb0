// Proto3 JSON forms of the well-known types (Duration, Timestamp, wrappers...) other than Any,
// and of enum values: the problem with a value, phrased as what to write instead.
import type protobuf from "protobufjs";
import { fullName, isDeprecated, isRecord, wrapperTypes } from "./envoy-proto-types.ts";
import { checkScalar, isTimestamp, parseDuration } from "./proto-json-scalars.ts";
import { suggestion } from "./spelling-suggestion.ts";

/** Whether `name` is a type with a special JSON form (not Any), and what is wrong with `value`. */
export function checkWellKnownJson(
  name: string,
  type: protobuf.Type,
  value: unknown,
): { known: boolean; problem?: string } {
  const fail = (expected: string) => ({
    known: true,
    problem: `must be ${expected} (${name}), got ${JSON.stringify(value)}`,
  });
  const ok = { known: true };
  switch (name) {
    case "google.protobuf.Duration":
      return parseDuration(value) ? ok : fail('a duration string such as "1.5s" or "0s"');
    case "google.protobuf.Timestamp":
      return isTimestamp(value) ? ok : fail("an RFC 3339 timestamp");
    case "google.protobuf.FieldMask":
      return typeof value === "string" ? ok : fail("a comma-separated string of paths");
    case "google.protobuf.Struct":
      return isRecord(value) ? ok : fail("an object");
    case "google.protobuf.ListValue":
      return Array.isArray(value) ? ok : fail("a list");
    case "google.protobuf.Value":
      return ok;
    case "google.protobuf.Empty":
      return isRecord(value) && Object.keys(value).length === 0 ? ok : fail("{}");
  }
  if (wrapperTypes.has(name)) {
    const inner = type.fields.value;
    return { known: true, problem: inner ? checkScalar(inner.type, value) : undefined };
  }
  return { known: false };
}

/** Problems of `value` as a value of `enumType`: unknown names/numbers, deprecated values. */
export function enumValueProblems(enumType: protobuf.Enum, value: unknown): string[] {
  const name = fullName(enumType);
  if (name === "google.protobuf.NullValue" && value === null) return [];
  const names = Object.keys(enumType.values);
  const valueName =
    typeof value === "string"
      ? value
      : typeof value === "number"
        ? enumType.valuesById[value]
        : undefined;
  if (valueName === undefined || !(valueName in enumType.values)) {
    return [
      `must be one of ${names.join(", ")} (${name}), got ${JSON.stringify(value)}${typeof value === "string" ? suggestion(value, names) : ""}`,
    ];
  }
  return isDeprecated(enumType.valuesOptions?.[valueName])
    ? [`${name}.${valueName} is deprecated`]
    : [];
}
