// The gateway's Prometheus metrics: each gRPC-Web call as the gateway sees it, named like
// go-grpc-prometheus's server metrics with the prefix grpc_gateway_ (so a dashboard can put
// the two hops side by side without summing them), plus the upstream's per-endpoint state
// read from upstreamStats() at each scrape, and the default process metrics.

import type { Server } from "node:net";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { CallObserver } from "../call-observer.ts";
import { handledLabels, methodLabels } from "./method-labels.ts";
import { listenForScrapes, type MetricsAddress, type MetricsListener } from "./metrics-listener.ts";
import { type UpstreamStatsShape, upstreamCollectors } from "./upstream-collector.ts";

const callLabels = ["grpc_service", "grpc_method", "grpc_type"] as const;
// Gauges named like counters (promtool rejects them); nodejs_active_* by type stay.
const promtoolRejected = [
  "nodejs_active_handles_total",
  "nodejs_active_requests_total",
  "nodejs_active_resources_total",
];

export class GatewayMetrics {
  readonly registry = new Registry();
  readonly #started = this.#counter("grpc_gateway_started_total", "gRPC-Web calls started.");
  readonly #handled = new Counter({
    name: "grpc_gateway_handled_total",
    help: "gRPC-Web calls answered, by status code (Go spelling) as the browser got it.",
    labelNames: [...callLabels, "grpc_code"],
    registers: [this.registry],
  });
  readonly #handling = new Histogram({
    name: "grpc_gateway_handling_seconds",
    help: "Time from a call's request to its status, as the gateway sees it (upstream included).",
    labelNames: callLabels,
    registers: [this.registry],
  });
  readonly #calls = new Counter({
    name: "grpc_gateway_web_calls_total",
    help: "gRPC-Web calls by answer encoding: text (application/grpc-web-text) or binary.",
    labelNames: ["mode"],
    registers: [this.registry],
  });
  readonly #bytesIn = this.#counter(
    "grpc_gateway_received_bytes_total",
    "Request bytes read from browsers, as sent (base64 in text mode).",
  );
  readonly #bytesOut = this.#counter(
    "grpc_gateway_sent_bytes_total",
    "Answer bytes written to browsers, as sent.",
  );
  readonly #received = this.#counter(
    "grpc_gateway_msg_received_total",
    "Request messages read from browsers.",
  );
  readonly #sent = this.#counter(
    "grpc_gateway_msg_sent_total",
    "Answer messages relayed to browsers.",
  );
  readonly #retries = this.#counter(
    "grpc_gateway_retries_total",
    "Calls sent again on a new upstream stream because the server never started them.",
  );
  readonly #stalled = this.#counter(
    "grpc_gateway_stalled_requests_total",
    "Calls cut because the request body stalled (BODY_IDLE_TIMEOUT_MS).",
  );
  readonly #open = new Gauge({
    name: "grpc_gateway_open_calls",
    help: "gRPC-Web calls in progress (streams included).",
    labelNames: callLabels,
    registers: [this.registry],
  });

  constructor(upstreamStats: () => UpstreamStatsShape) {
    collectDefaultMetrics({ register: this.registry });
    for (const name of promtoolRejected) this.registry.removeSingleMetric(name);
    upstreamCollectors(this.registry, upstreamStats);
  }

  /** The call observer that records every call. */
  readonly observe: CallObserver = (req) => {
    const labels = methodLabels(req.url);
    this.#started.inc(labels);
    this.#open.inc(labels);
    return {
      stalled: () => this.#stalled.inc(labels),
      finished: (record) => {
        // The call's own duration (from its start, as the access log says): no timer per call.
        this.#handling.observe(labels, record.durationMs / 1000);
        this.#open.dec(labels);
        this.#handled.inc(handledLabels(labels, record.grpcStatus));
        this.#calls.inc({ mode: record.mode });
        this.#bytesIn.inc(labels, record.bytesIn);
        this.#bytesOut.inc(labels, record.bytesOut);
        this.#received.inc(labels, record.messagesIn);
        this.#sent.inc(labels, record.messagesOut);
        if (record.retries) this.#retries.inc(labels, record.retries);
      },
    };
  };

  #counter(name: string, help: string): Counter<(typeof callLabels)[number]> {
    return new Counter({ name, help, labelNames: callLabels, registers: [this.registry] });
  }
}

/** Opens the metrics port; closes the public `server` (already listening) if it cannot. */
export async function serveGatewayMetrics(
  metrics: GatewayMetrics,
  address: MetricsAddress,
  server: Server,
): Promise<MetricsListener> {
  try {
    return await listenForScrapes(metrics.registry, address);
  } catch (error) {
    server.close();
    throw error;
  }
}
