import type { ClientReadableStream, RpcError } from "grpc-web";
import { TeamsError } from "./teams-error.ts";

type Callback<T> = (error: RpcError | null, response: T) => void;

/**
 * Turns a grpc-web unary call (callback style) into a promise that fails with TeamsError.
 * Aborting the signal cancels the call (the XHR is aborted) and fails it with CANCELLED.
 */
export function unaryCall<T>(
  start: (callback: Callback<T>) => ClientReadableStream<T>,
  signal?: AbortSignal,
): Promise<T> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(TeamsError.cancelled());
    const onAbort = (): void => {
      call.cancel();
      reject(TeamsError.cancelled());
    };
    const call = start((error, response) => {
      signal?.removeEventListener("abort", onAbort);
      if (error) reject(TeamsError.from(error));
      else resolve(response);
    });
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
