import { TeamsError } from "../teams-api/teams-error.ts";

/** A server stream the test drives by hand: push messages, then end or fail it. */
export class ManualStream<T, Query = unknown> {
  private readonly queue: Array<IteratorResult<T> | TeamsError> = [];
  private wake: (() => void) | null = null;
  /** True once the stream ended, failed or was cancelled. */
  closed = false;

  constructor(
    readonly query: Query,
    readonly signal: AbortSignal | undefined,
  ) {
    signal?.addEventListener("abort", () => this.fail(TeamsError.cancelled()));
  }

  push(message: T): void {
    this.enqueue({ done: false, value: message });
  }
  end(): void {
    this.enqueue({ done: true, value: undefined });
  }
  fail(error: TeamsError): void {
    this.enqueue(error);
  }

  async *messages(): AsyncGenerator<T> {
    try {
      for (;;) {
        while (this.queue.length === 0) await new Promise<void>((wake) => (this.wake = wake));
        const next = this.queue.shift();
        if (next instanceof TeamsError) throw next;
        if (!next || next.done) return;
        yield next.value;
      }
    } finally {
      this.closed = true;
    }
  }

  private enqueue(item: IteratorResult<T> | TeamsError): void {
    if (this.closed) return;
    this.queue.push(item);
    this.wake?.();
    this.wake = null;
  }
}
