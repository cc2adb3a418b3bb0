// Two fixes to how grpc-js (1.14.7, the newest 1.x) reads a request, applied to its server
// call class once, before any server is created. Both are upstream defects; see README.md
// "grpc-js defects worked around here" for the links and how to drop this file.
//
// 1. Long deadlines: grpc-js turns `grpc-timeout` into milliseconds with `| 0`, a 32-bit
//    operation, so 2^31 ms or more (`600H`, `3000H`, `2147484S`, `99999999M`) wraps negative
//    and the call ends DEADLINE_EXCEEDED at once. A value beyond what a Node timer can hold
//    (2^31 - 1 ms, about 24.8 days) is clamped to the longest one instead.
// 2. A message with the compressed flag set and no `grpc-encoding` (or `identity`) is read
//    as if it were not compressed. The gRPC spec (PROTOCOL-HTTP2.md: "If the
//    Message-Encoding header is omitted then the Compressed-Flag must be 0") makes it an
//    error: it is refused with INTERNAL, as grpc-go and grpc-java do.
import { createRequire } from "node:module";
import { status } from "@grpc/grpc-js";

/** The longest timer Node can set (setTimeout clamps anything longer to 1 ms). */
export const maxTimerMs = 2 ** 31 - 1;
/** maxTimerMs in `grpc-timeout` form (at most 8 digits): 2,147,483 s. */
const longestTimeout = `${Math.floor(maxTimerMs / 1000)}S`;

// grpc-js's own parse: the same pattern, so a header it refuses is still refused by it.
const timeoutPattern = /(\d{1,8})\s*([HMSmun])/;
// Milliseconds per unit (the gateway has the same table in gateway/src/timeout.ts).
const unitMs: Record<string, number> = { H: 3.6e6, M: 6e4, S: 1e3, m: 1, u: 1e-3, n: 1e-6 };

/** `grpc-timeout` as grpc-js should see it: unchanged, or clamped when too long for a timer. */
export function clampTimeoutHeader(value: string): string {
  const match = timeoutPattern.exec(value);
  if (!match) return value;
  const ms = Number(match[1]) * (unitMs[match[2] as string] ?? 0);
  return ms > maxTimerMs ? longestTimeout : value;
}

/** The grpc-js internals these guards wrap (private in its typings). */
type ServerCallInternals = {
  handleTimeoutHeader(value: string): void;
  decompressMessage(message: Buffer, encoding: string): Promise<Buffer>;
};

let installed = false;

/** Wraps grpc-js's server call once per process; throws if grpc-js changed shape. */
export function installGrpcJsGuards(): void {
  if (installed) return;
  // The class lives in a module grpc-js does not re-export; grpc-js has no "exports" map,
  // so its file is reachable, and require() returns the same instance grpc-js itself uses.
  const require = createRequire(import.meta.url);
  const { BaseServerInterceptingCall } =
    require("@grpc/grpc-js/build/src/server-interceptors.js") as {
      BaseServerInterceptingCall: { prototype: ServerCallInternals };
    };
  const call = BaseServerInterceptingCall.prototype;
  const { handleTimeoutHeader, decompressMessage } = call;
  if (typeof handleTimeoutHeader !== "function" || typeof decompressMessage !== "function") {
    throw new Error(
      "grpc-js changed its server call internals: review server/src/grpc-js-guards.ts",
    );
  }
  call.handleTimeoutHeader = function (this: ServerCallInternals, value: string) {
    handleTimeoutHeader.call(this, clampTimeoutHeader(String(value)));
  };
  call.decompressMessage = function (this: ServerCallInternals, message, encoding) {
    // grpc-js passes "identity" both for an uncompressed message (flag 0) and for a
    // compressed one that came without an encoding: only the flag tells them apart.
    if (encoding === "identity" && message.readUInt8(0) === 1) {
      return Promise.reject({
        code: status.INTERNAL,
        details:
          "message has the compressed flag set but the request has no grpc-encoding header: send grpc-encoding (gzip, deflate) or clear the flag",
      });
    }
    return decompressMessage.call(this, message, encoding);
  };
  installed = true;
}
