// Backpressure and cancellation for the handlers that write streams: a slow
// reader must never make the server buffer without bound, and a client that
// hangs up must stop the work at once.
import type { Readable } from "node:stream";

/** What the helpers need of a grpc-js server stream (writable, maybe duplex). */
type WritableCall<T> = NodeJS.EventEmitter & {
  cancelled: boolean;
  destroyed: boolean;
  write(message: T): boolean;
};

/** The client cancelled or the stream was torn down: nothing more can be sent. */
export function isGone(call: { cancelled: boolean; destroyed: boolean }): boolean {
  return call.cancelled || call.destroyed;
}

/** Resolves on 'drain', or at once when the client goes away (no drain would ever come). */
export function drainedOrCancelled(call: NodeJS.EventEmitter): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      call.off("drain", done);
      call.off("cancelled", done);
      call.off("close", done);
      resolve();
    };
    call.on("drain", done);
    call.on("cancelled", done);
    call.on("close", done);
  });
}

/** Writes one message and waits for the transport to take it when its buffer is full. */
export async function send<T>(call: WritableCall<T>, message: T): Promise<void> {
  if (!call.write(message)) await drainedOrCancelled(call);
}

/**
 * The messages a client streams, read one at a time: the next is asked for only
 * when the loop body is done, so a slow body holds the client back (HTTP/2 flow
 * control) instead of buffering. The call is not destroyed at the end of the
 * loop, so a duplex call can still answer and send its status.
 */
export function messagesOf<T>(call: Readable): AsyncIterable<T> {
  return { [Symbol.asyncIterator]: () => call.iterator({ destroyOnReturn: false }) };
}
