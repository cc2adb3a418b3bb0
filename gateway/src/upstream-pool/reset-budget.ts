// How many more RST_STREAMs a session can carry before the server's rapid-reset guard
// answers GOAWAY and fails every call on it. Mirrors Node/nghttp2's token bucket
// (burst 1000, refill 33 per second); any other server is at least as lenient.

export const serverResetBurst = 1000;
export const serverResetsPerSecond = 33;

export class ResetBudget {
  #tokens = serverResetBurst;
  #updated = performance.now();

  /** Resets the server would still accept now. */
  remaining(): number {
    const now = performance.now();
    this.#tokens = Math.min(
      serverResetBurst,
      this.#tokens + ((now - this.#updated) / 1000) * serverResetsPerSecond,
    );
    this.#updated = now;
    return this.#tokens;
  }

  /** Counts one reset (sent or seen) on the session. */
  spend(): void {
    this.#tokens = this.remaining() - 1;
  }
}
