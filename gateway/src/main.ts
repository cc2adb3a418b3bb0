// `npm run gateway`: the gateway alone, in front of any gRPC server (see README config table).
import { gatewayOptionsFromEnv } from "./config.ts";
import { startGateway } from "./gateway.ts";
import { parseLogFormat } from "./logger.ts";
import { loadGatewayTracing } from "./tracing/gateway-tracing.ts";

let options: ReturnType<typeof gatewayOptionsFromEnv>;
try {
  options = gatewayOptionsFromEnv();
  parseLogFormat(process.env.LOG_FORMAT); // a typo fails here, not silently
} catch (error) {
  console.error(`gateway: ${(error as Error).message}`);
  process.exit(2);
}

try {
  // OTEL_EXPORTER_OTLP_ENDPOINT: spans over OTLP; unset, no OpenTelemetry code is loaded.
  const tracing = await loadGatewayTracing(options.upstream ?? "127.0.0.1:50051");
  const gateway = await startGateway({ ...options, tracing });
  let stopping = false;
  // First signal: refuse new calls, let those in flight finish (DRAIN_TIMEOUT_MS), exit 0.
  // A second one cuts at once, exit 1.
  const stop = async (): Promise<void> => {
    if (stopping) {
      await gateway.close();
      process.exit(1);
    }
    stopping = true;
    await gateway.drain();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
} catch (error) {
  const err = error as NodeJS.ErrnoException;
  console.error(
    err.code === "EADDRINUSE"
      ? `gateway: port ${options.port} is taken (PORT); stop what uses it or set PORT to another port`
      : `gateway: ${err.message}`,
  );
  process.exit(1);
}
