// The timers of one call: its deadline (grpc-timeout), the request body's idle bound, and
// the wait before a retry. All are cleared together when the call ends.
import * as h from "./headers.ts";
import { Code, GatewayError } from "./status.ts";
import { clampDeadline, longestGrpcTimeout, parseGrpcTimeout } from "./timeout.ts";

/** What the body-idle timer tells when the request body stalls. */
export interface BodyWatcher {
  bodyStalled(error: GatewayError): void;
}

/**
 * The body-idle bound of every call reading a request body with the same bound: one timer
 * checks them all every eighth of the bound, so a call costs a map entry, not a timer of its
 * own made, restarted on each chunk and cleared (bench/README.md "Gateway hot path"). A
 * stalled body is cut between `ms` and 1.125 × `ms` after its last byte.
 */
class BodyIdleSweep {
  readonly #ms: number;
  /** Each call reading its body, and when it last got a byte (performance.now()). */
  readonly #lastByte = new Map<BodyWatcher, number>();
  #timer: NodeJS.Timeout | undefined;

  constructor(ms: number) {
    this.#ms = ms;
  }

  arm(call: BodyWatcher): void {
    this.#lastByte.set(call, performance.now());
    if (!this.#timer) {
      this.#timer = setInterval(() => this.#sweep(), Math.max(1, Math.ceil(this.#ms / 8)));
      this.#timer.unref(); // the calls keep the process alive, not their bound
    }
  }

  disarm(call: BodyWatcher): void {
    this.#lastByte.delete(call);
  }

  #sweep(): void {
    if (this.#lastByte.size === 0) {
      clearInterval(this.#timer);
      this.#timer = undefined;
      return;
    }
    const stalledBefore = performance.now() - this.#ms;
    for (const [call, lastByte] of this.#lastByte) {
      if (lastByte > stalledBefore) continue;
      this.#lastByte.delete(call);
      call.bodyStalled(
        new GatewayError(
          Code.DEADLINE_EXCEEDED,
          `request body stalled: no bytes for ${this.#ms} ms (BODY_IDLE_TIMEOUT_MS); send the whole body at once`,
        ),
      );
    }
  }
}

const bodyIdleSweeps = new Map<number, BodyIdleSweep>();

function bodyIdleSweep(ms: number): BodyIdleSweep {
  let sweep = bodyIdleSweeps.get(ms);
  if (!sweep) {
    sweep = new BodyIdleSweep(ms);
    bodyIdleSweeps.set(ms, sweep);
  }
  return sweep;
}

export class CallTimers {
  #deadline: NodeJS.Timeout | undefined;
  #bodyIdle: BodyIdleSweep | undefined;
  #bodyReader: BodyWatcher | undefined;
  #retry: NodeJS.Timeout | undefined;

  /**
   * Starts the deadline from a grpc-timeout header, if any; `onExpired` gets the failure.
   * Returns the grpc-timeout to send upstream (clamped past what a timer holds: grpc-js
   * wraps too). Throws INVALID_ARGUMENT for a malformed value, DEADLINE_EXCEEDED for 0.
   */
  startDeadline(
    header: string | string[] | undefined,
    onExpired: (error: GatewayError) => void,
  ): string | undefined {
    if (typeof header !== "string") return undefined;
    const ms = parseGrpcTimeout(header);
    // A zero deadline has passed already; timing it would race a fast answer (found by fuzzing).
    if (ms === 0) {
      throw new GatewayError(
        Code.DEADLINE_EXCEEDED,
        `deadline exceeded: ${h.grpcTimeout} ${header} had passed before the call started; the server was not called`,
      );
    }
    const deadlineMs = clampDeadline(ms);
    // The error is made only if the deadline passes: most calls finish first.
    const expired = (): void =>
      onExpired(
        new GatewayError(
          Code.DEADLINE_EXCEEDED,
          `deadline exceeded: no complete answer within ${h.grpcTimeout} ${header}; the gateway cancelled the call`,
        ),
      );
    this.#deadline = setTimeout(expired, deadlineMs);
    return deadlineMs < ms ? longestGrpcTimeout : header;
  }

  /**
   * (Re)arms the bound on the pause between two request body chunks: `call.bodyStalled` is
   * told when it passes. A call passes the same `ms` every time.
   */
  armBodyIdle(ms: number, call: BodyWatcher): void {
    this.#bodyIdle ??= bodyIdleSweep(ms);
    this.#bodyReader = call;
    this.#bodyIdle.arm(call);
  }

  /** The request body ended: no more idle bound (and no restart of it). */
  bodyEnded(): void {
    if (this.#bodyReader) this.#bodyIdle?.disarm(this.#bodyReader);
    this.#bodyIdle = undefined;
    this.#bodyReader = undefined;
  }

  retryAfter(ms: number, attempt: () => void): void {
    this.#retry = setTimeout(attempt, ms);
  }

  clear(): void {
    clearTimeout(this.#deadline);
    this.bodyEnded();
    clearTimeout(this.#retry);
  }
}
