// What the gateway needs from tracing; the OpenTelemetry code is in otel-gateway.ts, imported
// only when OTEL_EXPORTER_OTLP_ENDPOINT is set (nothing is loaded otherwise).
import type { CallObserver } from "../call-observer.ts";

export interface GatewayTracing {
  /** A span per call, continuing the browser's traceparent and passing its own upstream. */
  readonly observe: CallObserver;
  /** Sends what is buffered and stops. */
  shutdown(): Promise<void>;
}

type Env = Readonly<Record<string, string | undefined>>;

/** The tracing of OTEL_EXPORTER_OTLP_ENDPOINT, or undefined (and no import) when it is unset. */
export async function loadGatewayTracing(
  upstream: string,
  env: Env = process.env,
): Promise<GatewayTracing | undefined> {
  if (!env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim()) return undefined;
  const { startOtelGatewayTracing } = await import("./otel-gateway.ts");
  return startOtelGatewayTracing(upstream, env);
}
