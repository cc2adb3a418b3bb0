// An OpenTelemetry tracer provider exporting over OTLP/HTTP (protobuf by default, JSON with
// OTEL_EXPORTER_OTLP_PROTOCOL=http/json), with async context so store spans find their call.
// Not registered globally: the server owns it, so two in one process (tests) stay apart.
// The gateway uses it too (`@teams/server/otel-provider`), so both hops export alike.
import {
  type Attributes,
  type Context,
  context,
  type Span,
  SpanKind,
  type Tracer,
} from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BatchSpanProcessor, NodeTracerProvider } from "@opentelemetry/sdk-trace-node";

type Env = Readonly<Record<string, string | undefined>>;

let contextManagerSet = false;

export async function otlpTracerProvider(
  defaultServiceName: string,
  env: Env,
): Promise<NodeTracerProvider> {
  if (!contextManagerSet) {
    contextManagerSet = context.setGlobalContextManager(
      new AsyncLocalStorageContextManager().enable(),
    );
  }
  const base = (env.OTEL_EXPORTER_OTLP_ENDPOINT ?? "").trim().replace(/\/+$/, "");
  const url = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim() || `${base}/v1/traces`;
  const protocol = env.OTEL_EXPORTER_OTLP_PROTOCOL?.trim() || "http/protobuf";
  let exporter: ConstructorParameters<typeof BatchSpanProcessor>[0];
  if (protocol === "http/json") {
    const { OTLPTraceExporter } = await import("@opentelemetry/exporter-trace-otlp-http");
    exporter = new OTLPTraceExporter({ url });
  } else if (protocol === "http/protobuf") {
    const { OTLPTraceExporter } = await import("@opentelemetry/exporter-trace-otlp-proto");
    exporter = new OTLPTraceExporter({ url });
  } else {
    throw new Error(
      `OTEL_EXPORTER_OTLP_PROTOCOL must be http/protobuf or http/json (OTLP over HTTP), got "${protocol}"`,
    );
  }
  return new NodeTracerProvider({
    resource: resourceFromAttributes({
      "service.name": env.OTEL_SERVICE_NAME?.trim() || defaultServiceName,
    }),
    spanProcessors: [new BatchSpanProcessor(exporter)],
  });
}

/** A SERVER span for one gRPC call, named and labelled as OpenTelemetry's RPC conventions say. */
export function startRpcServerSpan(
  tracer: Tracer,
  labels: { grpc_service: string; grpc_method: string },
  parent: Context,
  attributes: Attributes = {},
): Span {
  return tracer.startSpan(
    `${labels.grpc_service}/${labels.grpc_method}`,
    {
      kind: SpanKind.SERVER,
      attributes: {
        "rpc.system": "grpc",
        "rpc.service": labels.grpc_service,
        "rpc.method": labels.grpc_method,
        ...attributes,
      },
    },
    parent,
  );
}
