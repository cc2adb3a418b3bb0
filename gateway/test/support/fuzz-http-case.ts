// Random plain HTTP requests (page paths, methods, ranges) and raw socket bytes for the
// fuzz test.
import fc from "fast-check";

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

export const httpCase: fc.Arbitrary<HttpCase> = fc.record({
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

export const rawCase: fc.Arbitrary<RawCase> = fc
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
