// What request() returns when no endpoint can take a call: a stream that fails at once
// with a socket-style error the call path maps to UNAVAILABLE (fromUpstreamError), and
// that it does not retry (no REFUSED_STREAM, not a connection refused).

import type { ClientHttp2Stream } from "node:http2";
import { Duplex } from "node:stream";

class FailedStream extends Duplex {
  readonly rstCode = 0;
  readonly id = undefined;
  readonly session = undefined;

  override _read(): void {}

  override _write(_chunk: unknown, _encoding: BufferEncoding, done: () => void): void {
    done();
  }

  close(): void {
    this.destroy();
  }
}

/** A stream that errors with `message` (code EHOSTUNREACH) on the next tick. */
export function failedStream(message: string): ClientHttp2Stream {
  const stream = new FailedStream();
  const error = Object.assign(new Error(message), { code: "EHOSTUNREACH" });
  process.nextTick(() => stream.destroy(error));
  return stream as unknown as ClientHttp2Stream;
}
