// The 5-byte gRPC frame ("envelope"): 1 flags byte, 4-byte big-endian length, payload.
import { Code, GatewayError } from "./status.ts";

/** Flags bit set on a gRPC-Web trailer frame. */
export const trailerFlag = 0x80;
/** Flags bit set on a compressed message (grpc-encoding). */
export const compressedFlag = 0x01;
export const prefixBytes = 5;

export interface Envelope {
  readonly flags: number;
  readonly data: Buffer;
}

/** The big-endian uint32 at `offset` of any byte array (a Uint8Array need not be a Buffer). */
function readUint32(bytes: Uint8Array, offset: number): number {
  return (
    ((bytes[offset] as number) * 0x1000000 +
      (((bytes[offset + 1] as number) << 16) |
        ((bytes[offset + 2] as number) << 8) |
        (bytes[offset + 3] as number))) >>>
    0
  );
}

/** Encodes one frame. */
export function encodeEnvelope(flags: number, data: Uint8Array): Buffer {
  const frame = Buffer.allocUnsafe(prefixBytes + data.length);
  frame.writeUInt8(flags, 0);
  frame.writeUInt32BE(data.length, 1);
  frame.set(data, prefixBytes);
  return frame;
}

/** A frame whose data is `text` in latin1 (a byte per character), written straight into one buffer. */
export function encodeLatin1Envelope(flags: number, text: string): Buffer {
  const frame = Buffer.allocUnsafe(prefixBytes + text.length);
  frame.writeUInt8(flags, 0);
  frame.writeUInt32BE(text.length, 1);
  frame.write(text, prefixBytes, "latin1");
  return frame;
}

/** Collects whole frames from a byte stream cut anywhere (used to read answers in tests and tools). */
export class EnvelopeDecoder {
  #buffer: Buffer = Buffer.alloc(0);

  push(chunk: Uint8Array): Envelope[] {
    this.#buffer = Buffer.concat([this.#buffer, chunk]);
    const frames: Envelope[] = [];
    while (this.#buffer.length >= prefixBytes) {
      const length = this.#buffer.readUInt32BE(1);
      if (this.#buffer.length < prefixBytes + length) break;
      const flags = this.#buffer.readUInt8(0);
      frames.push({ flags, data: this.#buffer.subarray(prefixBytes, prefixBytes + length) });
      this.#buffer = this.#buffer.subarray(prefixBytes + length);
    }
    return frames;
  }

  /** Bytes of an unfinished frame still held. */
  get pending(): number {
    return this.#buffer.length;
  }
}

/** Decodes a complete body into frames; throws if it ends inside a frame. */
export function decodeEnvelopes(body: Uint8Array): Envelope[] {
  const decoder = new EnvelopeDecoder();
  const frames = decoder.push(body);
  if (decoder.pending > 0) {
    throw new GatewayError(
      Code.INTERNAL,
      `body ends inside a frame (${decoder.pending} bytes left)`,
    );
  }
  return frames;
}

/**
 * Checks request frames as bytes stream through, without holding payloads: the
 * length prefix alone decides RESOURCE_EXHAUSTED, so an oversized message is
 * refused after 5 bytes instead of being buffered.
 */
export class RequestFrameScanner {
  readonly #maxMessageBytes: number;
  readonly #compressionNamed: boolean;
  #prefix: number[] = [];
  #remaining = 0;
  #frames = 0;

  /**
   * `compressionNamed`: the request has a grpc-encoding other than identity, so a
   * compressed frame can be inflated upstream. Without one, the compressed flag is an error.
   */
  constructor(maxMessageBytes: number, compressionNamed = false) {
    this.#maxMessageBytes = maxMessageBytes;
    this.#compressionNamed = compressionNamed;
  }

  /** Number of complete request messages seen. */
  get messages(): number {
    return this.#frames;
  }

  /** Scans a chunk; throws GatewayError on a bad frame. */
  push(chunk: Uint8Array): void {
    let offset = 0;
    while (offset < chunk.length) {
      if (this.#remaining > 0) {
        const take = Math.min(this.#remaining, chunk.length - offset);
        this.#remaining -= take;
        offset += take;
        if (this.#remaining === 0) this.#frames += 1;
        continue;
      }
      if (this.#prefix.length === 0 && chunk.length - offset >= prefixBytes) {
        // The whole prefix is in this chunk (the usual case): read it where it is.
        this.#startFrame(chunk[offset] as number, readUint32(chunk, offset + 1));
        offset += prefixBytes;
        continue;
      }
      this.#prefix.push(chunk[offset] as number);
      offset += 1;
      if (this.#prefix.length === prefixBytes) {
        const prefix = Buffer.from(this.#prefix);
        this.#prefix = [];
        this.#startFrame(prefix.readUInt8(0), prefix.readUInt32BE(1));
      }
    }
  }

  /** Throws if the body ended inside a frame. */
  end(): void {
    if (this.#prefix.length > 0) {
      throw new GatewayError(
        Code.INVALID_ARGUMENT,
        `request body ends inside a frame prefix: got ${this.#prefix.length} of 5 bytes`,
      );
    }
    if (this.#remaining > 0) {
      throw new GatewayError(
        Code.INVALID_ARGUMENT,
        `request body ends inside message ${this.#frames + 1}: ${this.#remaining} bytes missing`,
      );
    }
  }

  #startFrame(flags: number, length: number): void {
    if ((flags & ~compressedFlag) !== 0) {
      throw new GatewayError(
        Code.INVALID_ARGUMENT,
        `request frame ${this.#frames + 1}: flags byte 0x${flags.toString(16)} is not a message (0x00 or 0x01)`,
      );
    }
    if (flags === compressedFlag && !this.#compressionNamed) {
      throw new GatewayError(
        Code.INVALID_ARGUMENT,
        `request frame ${this.#frames + 1}: compressed flag (0x01) set, but no grpc-encoding header names the compression; send flags 0x00 or set grpc-encoding`,
      );
    }
    if (length > this.#maxMessageBytes) {
      throw new GatewayError(
        Code.RESOURCE_EXHAUSTED,
        `request message ${this.#frames + 1} is ${length} bytes, over the gateway limit of ${this.#maxMessageBytes} (MAX_MESSAGE_BYTES)`,
      );
    }
    this.#remaining = length;
    if (length === 0) this.#frames += 1;
  }
}
