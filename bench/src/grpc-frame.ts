// gRPC length-prefixed framing (the same on HTTP/2 and in gRPC-Web bodies): a flag byte,
// then a 4-byte big-endian length, then the payload. Flag bit 0x80 marks a gRPC-Web trailer.

export const trailerFlag = 0x80;

/** One frame read back from a body. */
export interface GrpcFrame {
  flag: number;
  payload: Buffer;
}

/** Wraps one serialized message in a 5-byte prefix, as a load tool must send it. */
export function grpcFrame(payload: Uint8Array, flag = 0): Buffer {
  const frame = Buffer.alloc(5 + payload.length);
  frame.writeUInt8(flag, 0);
  frame.writeUInt32BE(payload.length, 1);
  frame.set(payload, 5);
  return frame;
}

/** Splits a complete body into frames; throws when the body ends inside a frame. */
export function readGrpcFrames(body: Uint8Array): GrpcFrame[] {
  const buf = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const frames: GrpcFrame[] = [];
  let at = 0;
  while (at < buf.length) {
    if (at + 5 > buf.length) throw new Error(`body: frame header cut at byte ${at}`);
    const length = buf.readUInt32BE(at + 1);
    if (at + 5 + length > buf.length) throw new Error(`body: frame at byte ${at} wants ${length}`);
    frames.push({ flag: buf.readUInt8(at), payload: buf.subarray(at + 5, at + 5 + length) });
    at += 5 + length;
  }
  return frames;
}

/** Parses a gRPC-Web trailer frame payload ("grpc-status: 0\r\n...") into lower-case keys. */
export function parseTrailer(payload: Uint8Array): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of Buffer.from(payload).toString("latin1").split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon > 0) out[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return out;
}

/**
 * Counts frames as bytes arrive, without keeping them: a streaming client of a million
 * messages must not buffer the body. Keeps only the trailer payload, if one comes.
 */
export class FrameCounter {
  messages = 0;
  trailer: Buffer | undefined;
  #pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): void {
    let buf = this.#pending.length > 0 ? Buffer.concat([this.#pending, chunk]) : chunk;
    while (buf.length >= 5) {
      const length = buf.readUInt32BE(1);
      if (buf.length < 5 + length) break;
      if ((buf.readUInt8(0) & trailerFlag) !== 0) {
        this.trailer = Buffer.from(buf.subarray(5, 5 + length));
      } else {
        this.messages++;
      }
      buf = buf.subarray(5 + length);
    }
    this.#pending = Buffer.from(buf);
  }

  /** Bytes left that do not yet make a whole frame (non-zero at the end means a cut body). */
  get leftover(): number {
    return this.#pending.length;
  }
}
