// The server's Prometheus metrics: per-call counters and latency under go-grpc-prometheus's
// names (so existing dashboards and alerts work), written by a grpc-js server interceptor
// like the call log, plus open streams, watchers, change-feed lag, store latency and the
// default process metrics. One registry per server, so tests can run several in a process.
import type { ServerInterceptingCallInterface, ServerInterceptor, status } from "@grpc/grpc-js";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import { ObservedCall, observingInterceptor } from "../observed-call.ts";
import type { StoreOperationObserver } from "../store/observed-store.ts";
import { codeLabel, type MethodLabels, methodLabels } from "./method-labels.ts";
import { type PoolUse, registerPoolGauges } from "./pool-gauges.ts";

const promtoolRejected = [
  "nodejs_active_handles_total",
  "nodejs_active_requests_total",
  "nodejs_active_resources_total",
];

const callLabels = ["grpc_service", "grpc_method", "grpc_type"] as const;

/** What the server knows at scrape time (watchers and change-feed lag). */
export type ServerGauges = {
  watchers(): number;
  /** Newest version in the database minus the newest the feed has delivered; undefined if unknown. */
  feedLag(): Promise<number | undefined>;
};

export class ServerMetrics {
  readonly registry = new Registry();
  readonly #started = new Counter({
    name: "grpc_server_started_total",
    help: "RPCs started on the server.",
    labelNames: callLabels,
    registers: [this.registry],
  });
  readonly #handled = new Counter({
    name: "grpc_server_handled_total",
    help: "RPCs completed on the server, by status code (Go spelling: OK, NotFound, ...).",
    labelNames: [...callLabels, "grpc_code"],
    registers: [this.registry],
  });
  readonly #handling = new Histogram({
    name: "grpc_server_handling_seconds",
    help: "Time from the start of an RPC to its status, as the server sees it.",
    labelNames: callLabels,
    registers: [this.registry],
  });
  readonly #received = new Counter({
    name: "grpc_server_msg_received_total",
    help: "Request messages received by the server.",
    labelNames: callLabels,
    registers: [this.registry],
  });
  readonly #sent = new Counter({
    name: "grpc_server_msg_sent_total",
    help: "Response messages sent by the server.",
    labelNames: callLabels,
    registers: [this.registry],
  });
  readonly #openStreams = new Gauge({
    name: "grpc_server_open_streams",
    help: "Streaming RPCs (client, server or bidi) in progress.",
    labelNames: callLabels,
    registers: [this.registry],
  });
  readonly #storeSeconds = new Histogram({
    name: "teams_store_query_seconds",
    help: "Time of each store (database) operation, by operation and store kind.",
    labelNames: ["operation", "store"],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    // Gauges named like counters (promtool rejects them); nodejs_active_* by type stay.
    for (const name of promtoolRejected) this.registry.removeSingleMetric(name);
  }

  /** Times each store (database) operation (see store/observed-store.ts). */
  readonly storeOperation: StoreOperationObserver = (operation, store) => {
    const stop = this.#storeSeconds.startTimer({ operation, store });
    return () => {
      stop();
    };
  };

  /** The PostgreSQL pool's connections and waiting queries, read at each scrape. */
  readonly postgresPool = (pool: PoolUse): void => {
    registerPoolGauges(this.registry, pool);
  };

  /** Watchers and change-feed lag, read at each scrape. */
  watch(gauges: ServerGauges): void {
    new Gauge({
      name: "teams_watchers",
      help: "WatchTeams streams open on this replica.",
      registers: [this.registry],
      collect() {
        this.set(gauges.watchers());
      },
    });
    new Gauge({
      name: "teams_change_feed_lag_versions",
      help: "Newest change version in the database minus the newest delivered to watchers.",
      registers: [this.registry],
      async collect() {
        const lag = await gauges.feedLag();
        if (lag !== undefined) this.set(lag);
      },
    });
  }

  /** The interceptor to pass to `new Server({ interceptors })`. */
  interceptor(): ServerInterceptor {
    const series = new Map<string, MethodSeries>();
    return observingInterceptor((method, call) => {
      let known = series.get(method.path);
      if (!known) {
        known = {
          labels: methodLabels(method),
          streaming: method.requestStream || method.responseStream,
          handled: [],
        };
        series.set(method.path, known);
      }
      return new MeasuredCall(call, this.#calls, known);
    });
  }

  /** What a MeasuredCall updates (private fields are not reachable from outside the class). */
  readonly #calls: CallMetrics = {
    started: this.#started,
    handled: this.#handled,
    handling: this.#handling,
    received: this.#received,
    sent: this.#sent,
    openStreams: this.#openStreams,
  };
}

type CallMetrics = {
  started: Counter;
  handled: Counter;
  handling: Histogram;
  received: Counter;
  sent: Counter;
  openStreams: Gauge;
};

/** One method's labels, resolved on its first call, and its handled labels per code. */
type MethodSeries = {
  labels: MethodLabels;
  streaming: boolean;
  handled: (MethodLabels & { grpc_code: string })[];
};

/** One call being measured: no label object or timer closure made per call. */
class MeasuredCall extends ObservedCall {
  readonly #started = performance.now();

  constructor(
    call: ServerInterceptingCallInterface,
    private readonly metrics: CallMetrics,
    private readonly series: MethodSeries,
  ) {
    super(call);
    metrics.started.inc(series.labels);
    if (series.streaming) metrics.openStreams.inc(series.labels);
  }

  protected override receivedMessage(): void {
    this.metrics.received.inc(this.series.labels);
  }

  protected override sentMessage(): void {
    this.metrics.sent.inc(this.series.labels);
  }

  protected override ended(code: status): void {
    const { metrics, series } = this;
    metrics.handling.observe(series.labels, (performance.now() - this.#started) / 1000);
    series.handled[code] ??= { ...series.labels, grpc_code: codeLabel(code) };
    metrics.handled.inc(series.handled[code]);
    if (series.streaming) metrics.openStreams.dec(series.labels);
  }
}
