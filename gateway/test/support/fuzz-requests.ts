// Random and mutated requests for the gateway fuzz test (fuzz.test.ts), as
// fast-check arbitraries, and the oracle that says which answers are acceptable.

import { ListTeamsRequest, TeamRequest, TeamResponse } from "@teams/web/gen";
import fc from "fast-check";
import { encodeEnvelope } from "../../src/envelope.ts";

/** A gRPC-Web POST: frames with chosen flags and length prefixes, then mutated bytes. */
export interface GrpcCase {
  readonly kind: "grpc";
  readonly path: string;
  readonly headers: Record<string, string>;
  /** The body as sent, cut into pieces written one by one. */
  readonly pieces: Buffer[];
  /** Whether the gateway could answer OK: see `okAllowed`. */
  readonly wellFormed: boolean;
}

/** Any method, content type and path over node:http (static files, wrong methods). */
export interface HttpCase {
  readonly kind: "http";
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
}

/** Bytes straight onto a socket: what an HTTP client library would refuse to send. */
export interface RawCase {
  readonly kind: "raw";
  readonly bytes: Buffer;
}

export type FuzzCase = GrpcCase | HttpCase | RawCase;

const methods = ["/Teams/GetTeam", "/Teams/ListTeams"] as const;
const grpcPaths = [...methods, "/Teams/Nope", "/Nope/GetTeam", "/", "//Teams/GetTeam"];
const contentTypes = [
  "application/grpc-web",
  "application/grpc-web+proto",
  "application/grpc-web-text",
  "application/grpc-web-text+proto",
  "application/grpc-web; charset=utf-8",
  "Application/GRPC-Web-Text",
];

// Strings with lone surrogates and astral characters; protobuf encodes them as
// (possibly invalid) UTF-8, which the server must survive.
const anyText = fc.string({ unit: "binary", maxLength: 40 });

/** A protobuf string field 1 holding bytes that are not UTF-8. */
const invalidUtf8Field = fc
  .uint8Array({ minLength: 1, maxLength: 20 })
  .map((bytes) => Buffer.from([0x0a, bytes.length + 2, 0xc3, 0x28, ...bytes]));

const payload = fc.oneof(
  fc
    .record({ city: anyText })
    .map(({ city }) => Buffer.from(new TeamRequest({ city }).serialize())),
  fc
    .constantFrom("Chicago", " chicago ", "", "   ", "x".repeat(200))
    .map((city) => Buffer.from(new TeamRequest({ city }).serialize())),
  fc
    .record({ prefix: anyText, limit: fc.nat({ max: 0xffffffff }) })
    .map((fields) => Buffer.from(new ListTeamsRequest(fields).serialize())),
  invalidUtf8Field,
  // limit (uint32) sent as a 10-byte varint: -1 as an int64, beyond what uint32 holds.
  fc.constant(Buffer.from([0x10, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01])),
  fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes)),
);

interface FrameSpec {
  readonly flags: number;
  readonly data: Buffer;
  /** Length prefix as written; the true length unless a mutation says otherwise. */
  readonly declared: number;
}

const frame: fc.Arbitrary<FrameSpec> = fc
  .record({
    // 0x01 = compressed (sent without grpc-encoding), 0x80 = a trailer frame from the client.
    flags: fc.constantFrom(0, 0, 0, 0, 1, 0x80, 0x02, 0xff),
    data: payload,
    lie: fc.oneof(
      fc.constant(undefined),
      fc.constant(undefined),
      fc.constant(0xffffffff),
      fc.integer({ min: 1, max: 16 }),
      fc.nat({ max: 0xffffffff }),
    ),
  })
  .map(({ flags, data, lie }) => ({
    flags,
    data,
    declared: lie === undefined ? data.length : lie > 16 ? lie : data.length + lie,
  }));

function encodeFrame({ flags, data, declared }: FrameSpec): Buffer {
  const bytes = encodeEnvelope(flags, data);
  bytes.writeUInt32BE(declared, 1);
  return bytes;
}

type Mutation = (bytes: Buffer) => Buffer;
const byteMutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.constant((bytes: Buffer) => bytes),
  fc.constant((bytes: Buffer) => bytes),
  fc.nat().map((at) => (bytes: Buffer) => bytes.subarray(0, at % (bytes.length + 1))),
  fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })).map(([at, xor]) => (bytes: Buffer) => {
    const copy = Buffer.from(bytes);
    if (copy.length > 0) copy[at % copy.length] = (copy[at % copy.length] as number) ^ xor;
    return copy;
  }),
  fc
    .tuple(fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 12 }))
    .map(([at, extra]) => (bytes: Buffer) => {
      const cut = at % (bytes.length + 1);
      return Buffer.concat([bytes.subarray(0, cut), extra, bytes.subarray(cut)]);
    }),
);
const textMutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.constant((text: Buffer) => text),
  fc.constant((text: Buffer) => text),
  fc.constant((text: Buffer) => Buffer.from(text.toString().replace(/=+$/, ""))), // padding dropped
  fc
    .tuple(fc.nat(), fc.constantFrom("!", "-", "_", "\n", " ", "=", "\u00ff", "€"))
    .map(([at, char]) => (text: Buffer) => {
      const cut = at % (text.length + 1);
      return Buffer.concat([text.subarray(0, cut), Buffer.from(char), text.subarray(cut)]);
    }),
  fc.nat().map((at) => (text: Buffer) => text.subarray(0, at % (text.length + 1))),
);

const extraHeaders: fc.Arbitrary<Record<string, string>> = fc
  .record(
    {
      "grpc-timeout": fc.oneof(
        fc.constantFrom("1S", "10S", "99999999H", "1n", "-1m", "abc", "0m", "", "123456789S"),
        // Long deadlines: 2^31 ms and beyond used to expire at once (timers wrap).
        fc.constantFrom("600H", "3000H", "2147484S", "2147483S", "99999999M", "99999999S"),
        fc
          .tuple(fc.integer({ min: 10, max: 99_999_999 }), fc.constantFrom("H", "M", "S"))
          .map(([amount, unit]) => `${amount}${unit}`),
      ),
      "grpc-encoding": fc.constantFrom("gzip", "identity", "br"),
      "x-meta": fc.string({ maxLength: 30 }).map((value) => value.replace(/[^\x20-\x7e]/g, "")),
      "x-meta-bin": fc.constantFrom("AAEC", "not base64!", "", "===="),
      te: fc.constantFrom("gzip", "trailers"),
      connection: fc.constantFrom("te, x-meta", "keep-alive", "close, upgrade"),
      "http2-settings": fc.constant("AAMAAABkAAQAAP__"),
      accept: fc.constantFrom("application/grpc-web-text", "*/*", "application/grpc-web"),
    },
    { requiredKeys: [] },
  )
  .map((headers) => Object.fromEntries(Object.entries(headers).filter(([, v]) => v !== "")));

/** Cuts `bytes` into pieces at the given fractions, each written on its own. */
function cut(bytes: Buffer, points: number[]): Buffer[] {
  const offsets = [...new Set(points.map((point) => point % (bytes.length + 1)))].sort(
    (a, b) => a - b,
  );
  const pieces: Buffer[] = [];
  let start = 0;
  for (const offset of [...offsets, bytes.length]) {
    if (offset > start) pieces.push(bytes.subarray(start, offset));
    start = Math.max(start, offset);
  }
  return pieces;
}

const grpcCase: fc.Arbitrary<GrpcCase> = fc
  .record({
    path: fc.constantFrom(...grpcPaths),
    contentType: fc.constantFrom(...contentTypes),
    frames: fc.array(frame, { minLength: 0, maxLength: 3 }),
    mutate: byteMutation,
    mutateText: textMutation,
    headers: extraHeaders,
    cuts: fc.array(fc.nat(), { maxLength: 4 }),
  })
  .map(({ path, contentType, frames, mutate, mutateText, headers, cuts }) => {
    const text = contentType.toLowerCase().includes("-text");
    const framed = Buffer.concat(frames.map(encodeFrame));
    const bytes = mutate(framed);
    const body = text ? mutateText(Buffer.from(bytes.toString("base64"))) : bytes;
    const decoded = text ? decodeBase64Groups(body) : body;
    // Judged on the bytes as sent, not on how they were made: a mutation may well
    // produce a valid call.
    const wellFormed =
      (methods as readonly string[]).includes(path) &&
      decoded !== undefined &&
      isOneMessage(decoded) &&
      timeoutAllowsAnswer(headers["grpc-timeout"]);
    return {
      kind: "grpc" as const,
      path,
      headers: { "content-type": contentType, "x-grpc-web": "1", ...headers },
      pieces: cut(body, cuts),
      wellFormed,
    };
  });

/** Base64 in 4-character groups, each padded or not (padding may end any group). */
function decodeBase64Groups(text: Buffer): Buffer | undefined {
  const value = text.toString("latin1");
  if (value.length % 4 !== 0) return undefined;
  const groups: Buffer[] = [];
  for (let index = 0; index < value.length; index += 4) {
    const group = value.slice(index, index + 4);
    if (!/^(?:[A-Za-z0-9+/]{4}|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{2}==)$/.test(group))
      return undefined;
    groups.push(Buffer.from(group, "base64"));
  }
  return Buffer.concat(groups);
}

/** Exactly one uncompressed message frame whose length prefix is true. */
function isOneMessage(bytes: Buffer): boolean {
  return bytes.length >= 5 && bytes[0] === 0 && bytes.readUInt32BE(1) === bytes.length - 5;
}

// The gateway enforces grpc-timeout to the millisecond, rounded up: 1n may still
// beat its 1 ms timer on loopback, 0 never gets an answer.
function timeoutAllowsAnswer(value: string | undefined): boolean {
  return value === undefined || value === "1n" || isLongTimeout(value);
}

/** A valid grpc-timeout of 1 s or more: a well-formed call must not end DEADLINE_EXCEEDED. */
export function isLongTimeout(value: string | undefined): boolean {
  const match = /^(\d{1,8})([HMS])$/.exec(value ?? "");
  return match !== null && Number(match[1]) * { H: 3600, M: 60, S: 1 }[match[2] as "H"] >= 1;
}

/** Range header values: valid, suffix, open, inverted, several, huge, malformed. */
const rangeHeader: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(fc.nat({ max: 60 }), fc.nat({ max: 60 })).map(([a, b]) => `bytes=${a}-${b}`),
  fc.nat({ max: 60 }).map((n) => `bytes=-${n}`),
  fc.nat({ max: 60 }).map((n) => `bytes=${n}-`),
  fc
    .array(fc.tuple(fc.nat({ max: 40 }), fc.nat({ max: 40 })), { minLength: 2, maxLength: 4 })
    .map((ranges) => `bytes=${ranges.map(([a, b]) => `${a}-${b}`).join(",")}`),
  fc.constantFrom(
    "bytes=5-1",
    "bytes=2-1,0-5",
    "bytes=0-18446744073709551616",
    "bytes=18446744073709551616-",
    "bytes=-18446744073709551616",
    "bytes=0-0",
    "bytes=",
    "bytes=-",
    "bytes=a-b",
    "items=0-5",
    "bytes 0-5",
    "BYTES=1-2",
    "bytes= 1 - 2 ",
  ),
);

const staticPaths = [
  "/",
  "/index.html",
  "/assets/app.js",
  "/../secret.txt",
  "/..%2fsecret.txt",
  "/%2e%2e/secret.txt",
  "/%2e%2e%2fsecret.txt",
  "/assets/../../secret.txt",
  "/assets/%2e%2e/%2e%2e/secret.txt",
  "/assets/..%5c..%5csecret.txt",
  "//secret.txt",
  "/%00",
  "/index.html%00.js",
  "/assets/app.js/..",
  "/%ff%fe",
  "/%",
  "/%zz",
];

const httpCase: fc.Arbitrary<HttpCase> = fc.record({
  kind: fc.constant("http" as const),
  method: fc.constantFrom("GET", "HEAD", "GET", "PUT", "DELETE", "PATCH", "OPTIONS", "POST", "FOO"),
  path: fc.oneof(
    fc.constantFrom(...staticPaths),
    fc.string({ unit: "binary", maxLength: 30 }).map((text) => `/${encodeURIComponent(text)}`),
    fc.string({ maxLength: 30 }).map((text) => `/${text.replace(/[^\x21-\x7e]/g, "")}`),
  ),
  headers: fc.record(
    {
      "content-type": fc.constantFrom(
        "application/grpc-web",
        "application/grpc-web-text",
        "application/json",
        "application/grpc",
        "text/plain",
        "",
      ),
      origin: fc.constantFrom("http://localhost:5173", "https://evil.example", "null"),
      "access-control-request-method": fc.constant("POST"),
      range: rangeHeader,
      "if-range": fc.constantFrom('W/"1-1"', "Mon, 01 Jan 2024 00:00:00 GMT"),
    },
    { requiredKeys: [] },
  ),
});

const rawCase: fc.Arbitrary<RawCase> = fc
  .oneof(
    fc
      .nat({ max: 40_000 })
      .map((size) => `GET /${"a".repeat(size + 17_000)} HTTP/1.1\r\nhost: x\r\n\r\n`),
    fc
      .nat({ max: 40_000 })
      .map(
        (size) =>
          `POST /Teams/GetTeam HTTP/1.1\r\nhost: x\r\ncontent-type: application/grpc-web\r\nx-big: ${"b".repeat(size + 17_000)}\r\n\r\n`,
      ),
    fc
      .uint8Array({ minLength: 1, maxLength: 200 })
      .map((bytes) => Buffer.from(bytes).toString("latin1")),
    fc.constantFrom(
      "GET / HTTP/1.1\r\n\r\n", // no host
      "GET /\r\n\r\n", // HTTP/0.9
      "G\u00e9T / HTTP/1.1\r\nhost: x\r\n\r\n",
      "POST /Teams/GetTeam HTTP/1.1\r\nhost: x\r\ncontent-length: -1\r\n\r\n",
      "POST /Teams/GetTeam HTTP/1.1\r\nhost: x\r\ncontent-length: 5\r\ntransfer-encoding: chunked\r\n\r\n0\r\n\r\n",
      "POST /Teams/GetTeam HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\ncontent-type: application/grpc-web\r\n\r\nzz\r\n",
      "GET / HTTP/9.9\r\nhost: x\r\n\r\n",
      "GET / HTTP/1.1\r\nhost: x\r\nbad header\r\n\r\n",
    ),
  )
  .map((text) => ({ kind: "raw" as const, bytes: Buffer.from(text, "latin1") }));

export const fuzzCase: fc.Arbitrary<FuzzCase> = fc.oneof(
  { arbitrary: grpcCase, weight: 6 },
  { arbitrary: httpCase, weight: 3 },
  { arbitrary: rawCase, weight: 1 },
);

/** For a well-formed call: every answer message must be a TeamResponse, one for GetTeam. */
export function answerFits(path: string, messages: readonly Buffer[]): boolean {
  if (path === "/Teams/GetTeam" && messages.length !== 1) return false;
  try {
    for (const message of messages) TeamResponse.deserialize(message);
    return true;
  } catch {
    return false;
  }
}
