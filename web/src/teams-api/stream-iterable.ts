import type { ClientReadableStream } from "grpc-web";
import { TeamsError } from "./teams-error.ts";

/**
 * Turns a grpc-web server stream (data/error/end events) into an async iterable. The call
 * starts when iteration starts; aborting the signal, or leaving the loop early, cancels it.
 */
export function streamIterable<T>(
  open: () => ClientReadableStream<T>,
  signal?: AbortSignal,
): AsyncIterable<T> {
  return { [Symbol.asyncIterator]: () => iterate(open, signal) };
}

async function* iterate<T>(
  open: () => ClientReadableStream<T>,
  signal?: AbortSignal,
): AsyncGenerator<T> {
  if (signal?.aborted) throw TeamsError.cancelled();
  const call = open();
  // grpc-web may emit `end` after `error`; only the first outcome counts.
  let settled = false;
  let controller!: ReadableStreamDefaultController<T>;
  const messages = new ReadableStream<T>({
    start(c) {
      controller = c;
    },
  });
  const settle = (finish: () => void): void => {
    if (settled) return;
    settled = true;
    finish();
  };
  const onAbort = (): void =>
    settle(() => {
      call.cancel();
      controller.error(TeamsError.cancelled());
    });
  call.on("data", (message) => {
    if (!settled) controller.enqueue(message);
  });
  call.on("error", (error) => settle(() => controller.error(TeamsError.from(error))));
  call.on("end", () => settle(() => controller.close()));
  signal?.addEventListener("abort", onAbort, { once: true });

  const reader = messages.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    signal?.removeEventListener("abort", onAbort);
    settle(() => call.cancel());
  }
}
