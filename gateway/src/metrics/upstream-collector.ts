// Upstream metrics read from gateway.upstreamStats() at scrape time. Accepts the single
// session's `{ sessionsOpened, openStreams }` and the pool's per-endpoint list alike.
import { Counter, Gauge, type Registry } from "prom-client";

/** What upstreamStats() returns, old and new: the per-endpoint fields are all optional. */
export type UpstreamStatsShape = {
  readonly sessionsOpened: number;
  readonly openStreams: number;
  readonly endpoints?: ReadonlyArray<EndpointStatsShape>;
};

export type EndpointStatsShape = {
  readonly address: string;
  readonly healthy?: boolean;
  readonly ejected?: boolean;
  readonly sessions?: number;
  readonly openStreams?: number;
  readonly calls?: number;
  readonly failures?: number;
  readonly idleTimeouts?: number;
  readonly ejections?: number;
  readonly unreadBytes?: number;
  readonly blockedStreams?: number;
};

type NumberField =
  | "sessions"
  | "openStreams"
  | "calls"
  | "failures"
  | "ejections"
  | "unreadBytes"
  | "blockedStreams";

/** Per-endpoint series: metric name, help, type, and how to read it from an endpoint. */
const endpointSeries: ReadonlyArray<{
  name: string;
  help: string;
  counter: boolean;
  read: (endpoint: EndpointStatsShape) => number | undefined;
}> = [
  {
    name: "grpc_gateway_upstream_healthy",
    help: "1 while the endpoint passes health checks.",
    counter: false,
    read: (e) => flag(e.healthy),
  },
  {
    name: "grpc_gateway_upstream_ejected",
    help: "1 while the endpoint is ejected for failing calls.",
    counter: false,
    read: (e) => flag(e.ejected),
  },
  {
    name: "grpc_gateway_upstream_sessions",
    help: "HTTP/2 sessions open to the endpoint.",
    counter: false,
    read: field("sessions"),
  },
  {
    name: "grpc_gateway_upstream_endpoint_open_streams",
    help: "Streams open on the endpoint.",
    counter: false,
    read: field("openStreams"),
  },
  {
    name: "grpc_gateway_upstream_unread_bytes",
    help: "Bytes the endpoint sent on open streams that the gateway has not yet relayed (what browsers that stop reading pin, at most one stream window each).",
    counter: false,
    read: field("unreadBytes"),
  },
  {
    name: "grpc_gateway_upstream_blocked_streams",
    help: "Open streams whose flow-control window is used up: the endpoint can send them nothing until their browser reads.",
    counter: false,
    read: field("blockedStreams"),
  },
  {
    name: "grpc_gateway_upstream_calls_total",
    help: "Calls sent to the endpoint.",
    counter: true,
    read: field("calls"),
  },
  {
    name: "grpc_gateway_upstream_failures_total",
    help: "Calls or health checks that failed on the endpoint.",
    counter: true,
    read: field("failures"),
  },
  {
    name: "grpc_gateway_upstream_idle_timeouts_total",
    help: "Streams the gateway ended (UNAVAILABLE) because no byte moved either way for STREAM_IDLE_TIMEOUT_MS.",
    counter: true,
    read: (e) => e.idleTimeouts,
  },
  {
    name: "grpc_gateway_upstream_ejections_total",
    help: "Times the endpoint was ejected.",
    counter: true,
    read: field("ejections"),
  },
];

function flag(value: boolean | undefined): number | undefined {
  return value === undefined ? undefined : Number(value);
}

function field(name: NumberField): (endpoint: EndpointStatsShape) => number | undefined {
  return (endpoint) => endpoint[name];
}

/** Registers the upstream collectors on `registry`. */
export function upstreamCollectors(registry: Registry, stats: () => UpstreamStatsShape): void {
  new Counter({
    name: "grpc_gateway_upstream_sessions_opened_total",
    help: "HTTP/2 sessions opened to the upstream since start (reconnects show here).",
    registers: [registry],
    collect() {
      this.reset();
      this.inc(stats().sessionsOpened);
    },
  });
  new Gauge({
    name: "grpc_gateway_upstream_open_streams",
    help: "Streams open upstream, over all endpoints.",
    registers: [registry],
    collect() {
      this.set(stats().openStreams);
    },
  });
  for (const series of endpointSeries) {
    const options = {
      name: series.name,
      help: series.help,
      labelNames: ["endpoint"],
      registers: [registry],
    };
    const collect = (set: (labels: { endpoint: string }, value: number) => void) => {
      for (const endpoint of stats().endpoints ?? []) {
        const value = series.read(endpoint);
        if (value !== undefined) set({ endpoint: endpoint.address }, value);
      }
    };
    if (series.counter) {
      new Counter({
        ...options,
        collect() {
          this.reset();
          collect((labels, value) => this.inc(labels, value));
        },
      });
    } else {
      new Gauge({
        ...options,
        collect() {
          this.reset();
          collect((labels, value) => this.set(labels, value));
        },
      });
    }
  }
}
