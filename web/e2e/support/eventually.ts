// Polls a condition the stack reaches asynchronously (metrics a scrape reads, a restart).

/**
 * Waits until `condition` holds, polling every 100 ms; a throw counts as "not yet". Fails
 * after `timeoutMs` saying `what`, with the last error or what `describe` says then.
 */
export async function eventually(
  what: string,
  condition: () => boolean | Promise<boolean>,
  { timeoutMs = 20_000, describe = () => "" }: { timeoutMs?: number; describe?: () => string } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = "";
  for (;;) {
    try {
      if (await condition()) return;
      lastError = "";
    } catch (error) {
      lastError = (error as Error).message;
    }
    if (Date.now() > deadline)
      throw new Error(`not within ${timeoutMs / 1000} s: ${what}; ${lastError || describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
