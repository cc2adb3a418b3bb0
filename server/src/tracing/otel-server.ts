// The server's spans (loaded only when tracing is on, see server-tracing.ts): one per call,
// continuing the caller's W3C traceparent, and a child per database operation of the call.
import {
  type Metadata,
  ServerInterceptingCall,
  type ServerInterceptor,
  status,
} from "@grpc/grpc-js";
import {
  type Context,
  context,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  type TextMapGetter,
  trace,
} from "@opentelemetry/api";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { cancelCode } from "../call-log.ts";
import { methodLabels } from "../metrics/method-labels.ts";
import { otlpTracerProvider, startRpcServerSpan } from "./otel-provider.ts";
import type { ServerTracing } from "./server-tracing.ts";

const propagator = new W3CTraceContextPropagator();
const endNothing = () => {};

const metadataGetter: TextMapGetter<Metadata> = {
  get: (metadata, key) => metadata.get(key).map(String),
  keys: (metadata) => Object.keys(metadata.getMap()),
};

export async function startOtelServerTracing(
  env: Readonly<Record<string, string | undefined>>,
): Promise<ServerTracing> {
  const provider = await otlpTracerProvider("teams-server", env);
  const tracer = provider.getTracer("teams-server");

  const interceptor: ServerInterceptor = (method, call) => {
    const labels = methodLabels(method);
    let span: Span | undefined;
    let callContext: Context = ROOT_CONTEXT;
    // The handler (and so its store calls) runs inside these callbacks: in the call's context.
    const inCall = (next: () => void) => context.with(callContext, next);
    const end = (code: number) => {
      if (!span) return;
      span.setAttribute("rpc.grpc.status_code", code);
      if (code !== status.OK) span.setStatus({ code: SpanStatusCode.ERROR, message: status[code] });
      span.end();
      span = undefined;
    };
    return new ServerInterceptingCall(call, {
      start: (next) =>
        next({
          onReceiveMetadata: (metadata, nextMetadata) => {
            const parent = propagator.extract(ROOT_CONTEXT, metadata, metadataGetter);
            span = startRpcServerSpan(tracer, labels, parent);
            callContext = trace.setSpan(parent, span);
            inCall(() => nextMetadata(metadata));
          },
          onReceiveMessage: (message, nextMessage) => inCall(() => nextMessage(message)),
          onReceiveHalfClose: (nextHalfClose) => inCall(() => nextHalfClose()),
          onCancel: () => end(cancelCode(call)),
        }),
      sendStatus: (outcome, nextStatus) => {
        end(outcome.code ?? status.UNKNOWN);
        nextStatus(outcome);
      },
    });
  };

  return {
    interceptor,
    storeOperation(operation, store) {
      // Only inside a call: the change feed's and health check's own queries start no trace.
      if (!trace.getSpan(context.active())) return endNothing;
      const span = tracer.startSpan(`store ${operation}`, {
        kind: SpanKind.CLIENT,
        attributes: {
          "db.system.name": store === "postgres" ? "postgresql" : store,
          "db.operation.name": operation,
        },
      });
      return () => span.end();
    },
    shutdown: () => provider.shutdown(),
  };
}
