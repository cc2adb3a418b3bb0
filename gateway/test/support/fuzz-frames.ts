// gRPC-Web frames for the fuzz test: protobuf payloads valid and not, flags, length
// prefixes that lie, and byte and base64 mutations of the framed body.
import { ListTeamsRequest, TeamRequest } from "@teams/web/gen";
import fc from "fast-check";
import { encodeEnvelope } from "../../src/envelope.ts";

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

export interface FrameSpec {
  readonly flags: number;
  readonly data: Buffer;
  /** Length prefix as written; the true length unless a mutation says otherwise. */
  readonly declared: number;
}

export const frame: fc.Arbitrary<FrameSpec> = fc
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

export function encodeFrame({ flags, data, declared }: FrameSpec): Buffer {
  const bytes = encodeEnvelope(flags, data);
  bytes.writeUInt32BE(declared, 1);
  return bytes;
}

export type Mutation = (bytes: Buffer) => Buffer;
export const byteMutation: fc.Arbitrary<Mutation> = fc.oneof(
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
export const textMutation: fc.Arbitrary<Mutation> = fc.oneof(
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
