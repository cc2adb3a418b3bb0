import type { Metadata } from "grpc-web";

/**
 * grpc-web reads a `deadline` metadata entry (ms since the epoch, as a string), sends it
 * as `grpc-timeout`, and fails the call with DEADLINE_EXCEEDED when it passes, so no call
 * can hang the page.
 */
export function deadlineMetadata(timeoutMs: number, now: number = Date.now()): Metadata {
  return { deadline: String(now + timeoutMs) };
}
