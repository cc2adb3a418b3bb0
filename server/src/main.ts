// Entry point: `npm run start -w server` (tsx src/main.ts). Configuration is the
// environment only; see README.md for the table.
import { ConfigError, readConfig } from "./config.ts";
import { startServer } from "./server.ts";
import { StoreError } from "./store/team-store.ts";
import { TeamsFileError } from "./teams-file.ts";

async function main(): Promise<void> {
  let running: Awaited<ReturnType<typeof startServer>>;
  try {
    running = await startServer(readConfig(process.env));
  } catch (error) {
    // Bad configuration or teams file: say what to fix and exit non-zero, never serve half a directory.
    const known =
      error instanceof ConfigError ||
      error instanceof TeamsFileError ||
      error instanceof StoreError;
    process.stderr.write(
      `cannot start: ${known ? (error as Error).message : String((error as Error)?.stack ?? error)}\n`,
    );
    process.exit(1);
  }
  let signalled = false;
  const stop = () => {
    if (signalled) {
      // A second Ctrl-C means "now".
      running.forceShutdown();
      process.exit(1);
    }
    signalled = true;
    running.shutdown().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

void main();
