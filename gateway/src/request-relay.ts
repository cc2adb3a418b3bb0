// Browser -> upstream, the bytes of one call: text mode decoded, frames checked from their
// prefixes as they pass (size, flags), nothing buffered beyond a partial base64 group.
import type { IncomingHttpHeaders } from "node:http";
import { Base64Decoder } from "./base64-stream.ts";
import type { RequestFormat } from "./content-type.ts";
import { RequestFrameScanner } from "./envelope.ts";
import * as h from "./headers.ts";

export class RequestRelay {
  readonly #decoder: Base64Decoder | undefined;
  readonly #scanner: RequestFrameScanner;

  constructor(format: RequestFormat, headers: IncomingHttpHeaders, maxMessageBytes: number) {
    this.#decoder = format.text ? new Base64Decoder() : undefined;
    const encoding = headers[h.grpcEncoding];
    this.#scanner = new RequestFrameScanner(
      maxMessageBytes,
      typeof encoding === "string" && encoding.trim().toLowerCase() !== "identity",
    );
  }

  /** The gRPC bytes of a body chunk. Throws a GatewayError for a bad frame or base64. */
  push(chunk: Buffer): Buffer {
    const bytes = this.#decoder ? this.#decoder.push(chunk) : chunk;
    this.#scanner.push(bytes);
    return bytes;
  }

  /** Complete request messages read so far. */
  get messages(): number {
    return this.#scanner.messages;
  }

  /** The body ended. Throws a GatewayError if it ends inside a frame or a base64 group. */
  end(): void {
    this.#decoder?.end();
    this.#scanner.end();
  }
}
