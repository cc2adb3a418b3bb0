// Base64 for application/grpc-web-text, in both directions, chunk by chunk.
import { Code, GatewayError } from "./status.ts";

// One 4-character group: plain, or padded to 1 or 2 bytes.
// The common case: no padding and nothing invalid, decoded in one go.
const plain = /^[A-Za-z0-9+/]*$/;
const group = /^(?:[A-Za-z0-9+/]{4}|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{2}==)$/;

/**
 * Decodes a base64 request body however the network cut it: a partial 4-character
 * group waits for the next chunk. Padded groups may appear mid-stream, because
 * clients may encode each message separately and concatenate the results.
 */
export class Base64Decoder {
  #pending = "";
  #offset = 0;

  push(chunk: Uint8Array | string): Buffer {
    const text =
      this.#pending + (typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("latin1"));
    const aligned = text.length - (text.length % 4);
    this.#pending = text.slice(aligned);
    if (plain.test(text.slice(0, aligned))) {
      this.#offset += aligned;
      return Buffer.from(text.slice(0, aligned), "base64");
    }
    // Node's decoder stops at the first "=", so each padded group ends a separate run.
    const runs: Buffer[] = [];
    let runStart = 0;
    for (let index = 0; index < aligned; index += 4) {
      const quad = text.slice(index, index + 4);
      if (quad.endsWith("=") && group.test(quad)) {
        runs.push(Buffer.from(text.slice(runStart, index + 4), "base64"));
        runStart = index + 4;
      } else if (!group.test(quad)) {
        throw new GatewayError(
          Code.INVALID_ARGUMENT,
          `request body is not valid base64 (application/grpc-web-text): bad group ${JSON.stringify(quad)} at character ${this.#offset + index}`,
        );
      }
    }
    this.#offset += aligned;
    if (runStart < aligned) runs.push(Buffer.from(text.slice(runStart, aligned), "base64"));
    return runs.length === 1 ? (runs[0] as Buffer) : Buffer.concat(runs);
  }

  /** Throws if the body ended with a partial group (padding is mandatory). */
  end(): void {
    if (this.#pending.length > 0) {
      throw new GatewayError(
        Code.INVALID_ARGUMENT,
        `request body is not valid base64 (application/grpc-web-text): ${this.#pending.length} trailing characters do not make a 4-character group; padding is mandatory`,
      );
    }
  }
}

/**
 * Encodes one response chunk on its own, padding included, as Envoy does: the
 * browser sees each chunk as soon as it arrives instead of waiting for a 3-byte
 * boundary, and grpc-web decodes padded groups mid-stream.
 */
export function encodeBase64Chunk(chunk: Uint8Array): string {
  return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString("base64");
}
