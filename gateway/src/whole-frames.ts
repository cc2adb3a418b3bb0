// Relays an answer's gRPC frames whole, so a failure can always be told at a frame boundary:
// the bytes of an incomplete frame are held back until the rest arrives. A trailer frame
// written after a half-relayed message would be read by the browser as the rest of it.

/** Frames larger than this are streamed through as they come instead of held back. */
export const maxHeldFrameBytes = 1024 * 1024;

const prefixBytes = 5;

export class WholeFrames {
  readonly #maxHeld: number;
  /** The start of an incomplete frame, not relayed yet. */
  #held: Buffer | undefined;
  /** Bytes of a frame too large to hold that are still to stream through. */
  #passLeft = 0;
  /** Frames (messages) begun so far. */
  #frames = 0;

  constructor(maxHeld = maxHeldFrameBytes) {
    this.#maxHeld = maxHeld;
  }

  /** The bytes of `chunk` that are ready to relay (whole frames, or a large frame's part). */
  push(chunk: Buffer): Buffer {
    let passed: Buffer | undefined;
    let rest = chunk;
    if (this.#passLeft > 0) {
      const take = Math.min(this.#passLeft, chunk.length);
      this.#passLeft -= take;
      if (take === chunk.length) return chunk;
      passed = chunk.subarray(0, take);
      rest = chunk.subarray(take);
    }
    const data = this.#held ? Buffer.concat([this.#held, rest]) : rest;
    this.#held = undefined;
    let end = 0;
    while (end + prefixBytes <= data.length) {
      const frameEnd = end + prefixBytes + data.readUInt32BE(end + 1);
      if (frameEnd <= data.length) {
        end = frameEnd;
        this.#frames += 1;
      } else {
        if (frameEnd - end > this.#maxHeld) {
          this.#frames += 1;
          this.#passLeft = frameEnd - data.length;
          end = data.length;
        }
        break;
      }
    }
    if (end < data.length) this.#held = data.subarray(end);
    const ready = end === data.length ? data : data.subarray(0, end);
    return passed ? Buffer.concat([passed, ready]) : ready;
  }

  /**
   * True when what was relayed so far is whole frames, so a trailer frame may follow (a
   * held, incomplete frame is dropped). False inside a large frame streamed through.
   */
  get atBoundary(): boolean {
    return this.#passLeft === 0;
  }

  /** Messages relayed, or begun (a large one streamed through). */
  get frames(): number {
    return this.#frames;
  }

  /** Whether part of a frame arrived whose rest never did. */
  get incomplete(): boolean {
    return this.#held !== undefined || this.#passLeft > 0;
  }
}
