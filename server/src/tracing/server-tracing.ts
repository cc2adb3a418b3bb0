// What startServer needs from tracing; the OpenTelemetry code itself is in otel-server.ts,
// imported only when OTEL_EXPORTER_OTLP_ENDPOINT is set (nothing is loaded otherwise).
import type { ServerInterceptor } from "@grpc/grpc-js";
import type { StoreOperationObserver } from "../store/observed-store.ts";

export interface ServerTracing {
  /** A span per call, continuing the caller's traceparent. */
  readonly interceptor: ServerInterceptor;
  /** A child span per store operation. */
  readonly storeOperation: StoreOperationObserver;
  /** Sends what is buffered and stops. */
  shutdown(): Promise<void>;
}

type Env = Readonly<Record<string, string | undefined>>;

/** The tracing of OTEL_EXPORTER_OTLP_ENDPOINT, or undefined (and no import) when it is unset. */
export async function loadServerTracing(
  env: Env = process.env,
): Promise<ServerTracing | undefined> {
  const endpoint = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  if (!endpoint) return undefined;
  const { startOtelServerTracing } = await import("./otel-server.ts");
  return startOtelServerTracing(env);
}
