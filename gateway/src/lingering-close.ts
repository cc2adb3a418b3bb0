// Lingering close: an HTTP/1.1 client still uploading when its call is refused would get
// EPIPE instead of the answer if the connection closed under it. The answer's headers go
// at once; the rest of the body is read and discarded, up to a bound, before the answer
// ends (and Node closes the connection, as the answer said).
import type { IncomingMessage, ServerResponse } from "node:http";

export class LingeringClose {
  /** Request bytes still to discard before the connection is cut; no bound until started. */
  #left = Number.POSITIVE_INFINITY;

  /** Whether `req` is still uploading over HTTP/1.1, so the close should linger. */
  static applies(req: IncomingMessage): boolean {
    return !req.complete && req.httpVersionMajor === 1;
  }

  /** Sends the answer's headers now and ends it once the body is in (or cut past `bound`). */
  start(req: IncomingMessage, res: ServerResponse, bound: number): void {
    res.flushHeaders();
    this.#left = bound;
    req.once("end", () => res.end());
    req.resume();
  }

  /** Body bytes that arrived after the call ended. */
  discard(res: ServerResponse, bytes: number): void {
    this.#left -= bytes;
    if (this.#left < 0) res.destroy();
  }
}
