// The timers of one call: its deadline (grpc-timeout), the request body's idle bound, and
// the wait before a retry. All are cleared together when the call ends.
import * as h from "./headers.ts";
import { Code, GatewayError } from "./status.ts";
import { clampDeadline, longestGrpcTimeout, parseGrpcTimeout } from "./timeout.ts";

/** What the body-idle timer tells when the request body stalls. */
export interface BodyWatcher {
  bodyStalled(error: GatewayError): void;
}

// One function for every call's body-idle timer (its call and bound are the timer's arguments).
function bodyIdlePassed(call: BodyWatcher, ms: number): void {
  call.bodyStalled(
    new GatewayError(
      Code.DEADLINE_EXCEEDED,
      `request body stalled: no bytes for ${ms} ms (BODY_IDLE_TIMEOUT_MS); send the whole body at once`,
    ),
  );
}

export class CallTimers {
  #deadline: NodeJS.Timeout | undefined;
  #bodyIdle: NodeJS.Timeout | undefined;
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
   * told when it passes. A call passes the same `ms` every time: the timer is made once and
   * restarted after that.
   */
  armBodyIdle(ms: number, call: BodyWatcher): void {
    if (this.#bodyIdle) {
      this.#bodyIdle.refresh();
      return;
    }
    this.#bodyIdle = setTimeout(bodyIdlePassed, ms, call, ms);
  }

  /** The request body ended: no more idle bound (and no restart of it). */
  bodyEnded(): void {
    clearTimeout(this.#bodyIdle);
    this.#bodyIdle = undefined;
  }

  retryAfter(ms: number, attempt: () => void): void {
    this.#retry = setTimeout(attempt, ms);
  }

  clear(): void {
    clearTimeout(this.#deadline);
    clearTimeout(this.#bodyIdle);
    clearTimeout(this.#retry);
  }
}
