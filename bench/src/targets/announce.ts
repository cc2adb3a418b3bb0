// Every bench target tells the driver its port the way our server does, then keeps serving
// until SIGTERM.

/** Prints {"msg":"listening","port":N} and arranges a clean exit on SIGTERM/SIGINT. */
export function announceListening(port: number, close: () => Promise<unknown> | unknown): void {
  process.stdout.write(`${JSON.stringify({ msg: "listening", port })}\n`);
  const stop = async () => {
    await close();
    process.exit(0);
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

/** A required environment variable, or a precise error naming it. */
export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name}: must be set`);
  return value;
}
