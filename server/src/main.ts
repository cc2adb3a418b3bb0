// Entry point: `npm run start -w server` (this file through tsx; dist/main.js in production).
// Configuration is the environment only; see README.md for the table.
import { readAuthConfig } from "./auth/auth-config.ts";
import { createWriteAuthorizer } from "./auth/jwt-write-authorizer.ts";
import { ConfigError, readConfig } from "./config.ts";
import { Logger } from "./logger.ts";
import { startServer } from "./server.ts";
import { StoreError } from "./store/team-store.ts";
import { TeamsFileError } from "./teams-file.ts";
import { loadServerTracing } from "./tracing/server-tracing.ts";

async function main(): Promise<void> {
  let running: Awaited<ReturnType<typeof startServer>>;
  try {
    const options = readConfig(process.env);
    const logger = new Logger(options.logLevel ?? "info", undefined, options.logFormat);
    // Writes need a token from the identity provider (AUTH_*) or the development key.
    const authorizer = await createWriteAuthorizer(readAuthConfig(process.env), { logger });
    // OTEL_EXPORTER_OTLP_ENDPOINT: spans over OTLP; unset, no OpenTelemetry code is loaded.
    const tracing = await loadServerTracing(process.env);
    running = await startServer({ ...options, logger, authorizer, tracing });
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
  // Started by `npm start` (an IPC channel): when that process is gone, however it ended
  // (crash, SIGKILL), the channel closes; drain and exit rather than outlive it.
  if (process.channel) {
    process.channel.unref();
    process.once("disconnect", () => {
      if (!signalled) stop();
    });
  }
}

void main();
