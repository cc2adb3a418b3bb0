// What a fan-out watcher reads of a WatchTeams answer in gRPC-Web text mode, cheaply: the base64
// runs split at their padding with indexOf (not a check per 4-character group), the envelopes,
// and of each TeamEvent only what the bench checks (its version, which event, a put's city),
// read straight from the protobuf wire format instead of building google-protobuf objects.
import { type Envelope, EnvelopeDecoder } from "@teams/gateway/grpc-frame";

/** The fields of a TeamEvent the watchers check. */
export interface WatchedEvent {
  version: number;
  /** The oneof's field number: 2 put, 3 deleted, 4 snapshot_complete, 5 heartbeat. */
  kind: number;
  /** A put's team city (TeamResponse.city), "" for other events. */
  city: string;
}

export const eventKind = { put: 2, deleted: 3, snapshotComplete: 4, heartbeat: 5 } as const;

/** Reads a varint at `at`; returns [value, next offset]. Versions stay below 2^53. */
function varint(bytes: Uint8Array, at: number): [number, number] {
  let value = 0;
  let scale = 1;
  for (let i = at; i < bytes.length; i++) {
    const byte = bytes[i] as number;
    value += (byte & 0x7f) * scale;
    if (byte < 0x80) return [value, i + 1];
    scale *= 128;
  }
  throw new Error("TeamEvent: truncated varint");
}

/** Walks the fields of bytes[start, end): varints to `onVarint`, length-delimited ones to `onBytes`. */
function readFields(
  bytes: Uint8Array,
  start: number,
  end: number,
  onVarint: (field: number, value: number) => void,
  onBytes: (field: number, from: number, to: number) => void,
): void {
  let at = start;
  while (at < end) {
    const [tag, afterTag] = varint(bytes, at);
    const field = tag >>> 3;
    const wire = tag & 7;
    if (wire === 0) {
      const [value, next] = varint(bytes, afterTag);
      onVarint(field, value);
      at = next;
    } else if (wire === 2) {
      const [length, from] = varint(bytes, afterTag);
      onBytes(field, from, from + length);
      at = from + length;
    } else if (wire === 1) at = afterTag + 8;
    else if (wire === 5) at = afterTag + 4;
    else throw new Error(`TeamEvent: unexpected wire type ${wire}`);
  }
  if (at !== end) throw new Error("TeamEvent: a field runs past its message");
}

/** The version, kind and put city of one serialized TeamEvent. */
export function readWatchedEvent(bytes: Buffer): WatchedEvent {
  const event: WatchedEvent = { version: 0, kind: 0, city: "" };
  readFields(
    bytes,
    0,
    bytes.length,
    (field, value) => {
      if (field === 1) event.version = value;
    },
    (field, from, to) => {
      if (field < eventKind.put || field > eventKind.heartbeat) return;
      event.kind = field;
      if (field !== eventKind.put) return;
      readFields(
        bytes,
        from,
        to,
        () => {},
        (teamField, cityFrom, cityTo) => {
          if (teamField === 1) event.city = bytes.toString("utf8", cityFrom, cityTo);
        },
      );
    },
  );
  return event;
}

/**
 * A text-mode answer's envelopes as its chunks come. Each message the gateway relays is its
 * own padded base64 run, so a chunk splits after every padded group; what is left unpadded
 * waits for the next chunk in 4-character groups. (Node's base64 decoder skips characters
 * outside the alphabet: a corrupted body shows as envelopes or events that do not parse.)
 */
export class TextEnvelopes {
  readonly #envelopes = new EnvelopeDecoder();
  #pending = "";

  push(chunk: Buffer): Envelope[] {
    const text = this.#pending + chunk.toString("latin1");
    const aligned = text.length - (text.length % 4);
    this.#pending = text.slice(aligned);
    const runs: Buffer[] = [];
    let from = 0;
    for (let pad = text.indexOf("=", from); pad !== -1 && pad < aligned; ) {
      const end = pad - (pad % 4) + 4;
      runs.push(Buffer.from(text.slice(from, end), "base64"));
      from = end;
      pad = text.indexOf("=", from);
    }
    if (from < aligned) runs.push(Buffer.from(text.slice(from, aligned), "base64"));
    const bytes = runs.length === 1 ? (runs[0] as Buffer) : Buffer.concat(runs);
    return this.#envelopes.push(bytes);
  }
}
