// The gateway's spans (loaded only when tracing is on, see gateway-tracing.ts): one per
// gRPC-Web call, a child of the browser's traceparent, whose own context goes upstream.
import {
  defaultTextMapGetter,
  defaultTextMapSetter,
  ROOT_CONTEXT,
  SpanStatusCode,
  trace,
} from "@opentelemetry/api";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { otlpTracerProvider, startRpcServerSpan } from "@teams/server/otel-provider";
import { methodLabels } from "../metrics/method-labels.ts";
import type { GatewayTracing } from "./gateway-tracing.ts";

const propagator = new W3CTraceContextPropagator();

export async function startOtelGatewayTracing(
  upstream: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<GatewayTracing> {
  const provider = await otlpTracerProvider("teams-gateway", env);
  const tracer = provider.getTracer("teams-gateway");
  return {
    observe(req) {
      const labels = methodLabels(req.url);
      const parent = propagator.extract(ROOT_CONTEXT, req.headers, defaultTextMapGetter);
      const span = startRpcServerSpan(tracer, labels, parent, { "teams.upstream": upstream });
      const upstreamHeaders: Record<string, string> = {};
      propagator.inject(trace.setSpan(parent, span), upstreamHeaders, defaultTextMapSetter);
      return {
        upstreamHeaders,
        finished(record) {
          span.setAttributes({
            "rpc.grpc.status_code": record.grpcStatus,
            "teams.grpc_web.mode": record.mode,
            // The endpoint the pool chose (its last attempt's), once there was one.
            ...(record.upstream ? { "teams.upstream": record.upstream } : {}),
          });
          if (record.grpcStatus !== 0) {
            span.setStatus({ code: SpanStatusCode.ERROR, message: record.grpcMessage ?? "" });
          }
          span.end();
        },
      };
    },
    shutdown: () => provider.shutdown(),
  };
}
