// Random gRPC-Web POSTs for the fuzz test: paths, content types, headers, mutated frames,
// the body cut into pieces, and whether the call is well-formed (may be answered OK).
import fc from "fast-check";
import { decodeBase64Groups, isOneMessage, timeoutAllowsAnswer } from "./fuzz-call-oracle.ts";
import { byteMutation, encodeFrame, frame, textMutation } from "./fuzz-frames.ts";

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

export const grpcCase: fc.Arbitrary<GrpcCase> = fc
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
