// Just enough gRPC-Web to smoke-test a deployed stack from Node without a browser: frame a
// request, read the answer's messages and trailers, in binary or text (base64) mode.

export type GrpcWebMode = "binary" | "text";

export const contentTypes: Record<GrpcWebMode, string> = {
  binary: "application/grpc-web+proto",
  text: "application/grpc-web-text",
};

const trailerFlag = 0x80;

/** One length-prefixed message: flag byte 0, 4-byte big-endian length, payload. */
export function frameMessage(payload: Uint8Array): Buffer {
  const prefix = Buffer.alloc(5);
  prefix.writeUInt32BE(payload.length, 1);
  return Buffer.concat([prefix, payload]);
}

export function encodeRequestBody(payload: Uint8Array, mode: GrpcWebMode): Buffer | string {
  const framed = frameMessage(payload);
  return mode === "text" ? framed.toString("base64") : framed;
}

/**
 * Text answers may be several base64 runs glued together, each with its own padding (proxies
 * encode every chunk as it arrives), so decode quantum by quantum rather than all at once.
 */
export function decodeBase64Runs(text: string): Buffer {
  const clean = text.replace(/\s+/g, "");
  const parts: Buffer[] = [];
  for (let index = 0; index < clean.length; index += 4) {
    parts.push(Buffer.from(clean.slice(index, index + 4), "base64"));
  }
  return Buffer.concat(parts);
}

export interface GrpcWebAnswer {
  messages: Buffer[];
  /** Trailer frame fields (lower-case names), merged over the response headers' grpc-*. */
  trailers: Record<string, string>;
}

/** Splits an answer body into messages and the trailer frame; throws on a malformed body. */
export function decodeResponseBody(
  body: Buffer,
  headers: Headers,
  mode: GrpcWebMode,
): GrpcWebAnswer {
  const bytes = mode === "text" ? decodeBase64Runs(body.toString("latin1")) : body;
  const messages: Buffer[] = [];
  const trailers: Record<string, string> = {};
  for (const name of ["grpc-status", "grpc-message", "grpc-status-details-bin"]) {
    const value = headers.get(name);
    if (value !== null) trailers[name] = value; // trailers-only answers carry status in headers
  }
  let offset = 0;
  while (offset < bytes.length) {
    if (offset + 5 > bytes.length) throw new Error(`truncated frame header at byte ${offset}`);
    const flag = bytes[offset] ?? 0;
    const length = bytes.readUInt32BE(offset + 1);
    const payload = bytes.subarray(offset + 5, offset + 5 + length);
    if (payload.length !== length)
      throw new Error(`truncated frame at byte ${offset}: ${payload.length} of ${length}`);
    if (flag & trailerFlag) {
      for (const line of payload.toString("latin1").split("\r\n")) {
        const colon = line.indexOf(":");
        if (colon > 0)
          trailers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
    } else {
      messages.push(Buffer.from(payload));
    }
    offset += 5 + length;
  }
  return { messages, trailers };
}
