// Checks one scalar against the proto3 JSON mapping, the way protobuf's own JSON parser
// (which Envoy uses to read YAML) accepts or refuses it. Returns a problem, or undefined.

const int32Range: [bigint, bigint] = [-(2n ** 31n), 2n ** 31n - 1n];
const uint32Range: [bigint, bigint] = [0n, 2n ** 32n - 1n];
const int64Range: [bigint, bigint] = [-(2n ** 63n), 2n ** 63n - 1n];
const uint64Range: [bigint, bigint] = [0n, 2n ** 64n - 1n];

const integerRanges: Record<string, [bigint, bigint]> = {
  int32: int32Range,
  sint32: int32Range,
  sfixed32: int32Range,
  uint32: uint32Range,
  fixed32: uint32Range,
  int64: int64Range,
  sint64: int64Range,
  sfixed64: int64Range,
  uint64: uint64Range,
  fixed64: uint64Range,
};

const base64Pattern = /^[A-Za-z0-9+/_-]*={0,2}$/;

function describe(value: unknown): string {
  return value === null
    ? "null"
    : Array.isArray(value)
      ? "a list"
      : `${typeof value} ${JSON.stringify(value)}`;
}

function checkInteger(type: string, value: unknown, range: [bigint, bigint]): string | undefined {
  const text = typeof value === "number" || typeof value === "string" ? String(value) : undefined;
  if (text === undefined || !/^-?\d+$/.test(text.trim())) {
    return `must be an integer (${type}), got ${describe(value)}`;
  }
  const parsed = BigInt(text.trim());
  if (parsed < range[0] || parsed > range[1]) {
    return `must be within ${range[0]}..${range[1]} (${type}), got ${text}`;
  }
  return undefined;
}

/** Problem with a scalar value for a proto scalar type, or undefined when the value is valid. */
export function checkScalar(type: string, value: unknown): string | undefined {
  const range = integerRanges[type];
  if (range) return checkInteger(type, value, range);
  switch (type) {
    case "string":
      return typeof value === "string" ? undefined : `must be a string, got ${describe(value)}`;
    case "bool":
      return typeof value === "boolean"
        ? undefined
        : `must be true or false, got ${describe(value)}`;
    case "double":
    case "float":
      if (typeof value === "number") return undefined;
      if (
        typeof value === "string" &&
        /^(NaN|-?Infinity|-?\d+(\.\d+)?([eE][-+]?\d+)?)$/.test(value)
      ) {
        return undefined;
      }
      return `must be a number (${type}), got ${describe(value)}`;
    case "bytes":
      return typeof value === "string" && base64Pattern.test(value)
        ? undefined
        : `must be base64 text (bytes), got ${describe(value)}`;
    default:
      return `has unsupported scalar type ${type}`;
  }
}

const durationPattern = /^(-?)(\d+)(?:\.(\d{1,9}))?s$/;
const maxDurationSeconds = 315_576_000_000n;

/** A google.protobuf.Duration in JSON, e.g. "1.5s", as seconds and nanos; or undefined. */
export function parseDuration(value: unknown): { seconds: bigint; nanos: number } | undefined {
  if (typeof value !== "string") return undefined;
  const match = durationPattern.exec(value);
  if (!match) return undefined;
  const sign = match[1] === "-" ? -1n : 1n;
  const seconds = BigInt(match[2] ?? "0");
  if (seconds > maxDurationSeconds) return undefined;
  const nanos = Number((match[3] ?? "").padEnd(9, "0"));
  return { seconds: sign * seconds, nanos: sign < 0n ? -nanos : nanos };
}

/** Duration in nanoseconds, for comparing against validate rules. */
export function durationNanos(duration: { seconds?: unknown; nanos?: unknown }): bigint {
  return (
    BigInt(String(duration.seconds ?? 0)) * 1_000_000_000n + BigInt(Number(duration.nanos ?? 0))
  );
}

const timestampPattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

export function isTimestamp(value: unknown): boolean {
  return typeof value === "string" && timestampPattern.test(value);
}
