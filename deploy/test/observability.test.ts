// deploy/observability/, checked offline: promtool accepts the Prometheus configuration, and
// the Grafana dashboard parses and names only metrics the server and gateway really register.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, it } from "node:test";
import { GatewayMetrics } from "@teams/gateway/metrics";
import { ServerMetrics } from "@teams/server/metrics";
import { requireCommand } from "@teams/tools/system-packages";

type Registry = ServerMetrics["registry"];

import { readRepoFile, repoPath } from "../src/stack-files.ts";

type Dashboard = { panels?: Array<{ title?: string; targets?: Array<{ expr?: string }> }> };

/** Every series name a registry exposes (histograms as their _bucket, _sum and _count). */
function exposedNames(registry: Registry): string[] {
  return registry.getMetricsAsArray().flatMap((metric) => {
    const { name, type } = metric as unknown as { name: string; type: string };
    return type === "histogram" ? [`${name}_bucket`, `${name}_sum`, `${name}_count`] : [name];
  });
}

/** The metric names a PromQL expression reads (grouping labels and ranges left out). */
function metricNames(expr: string): string[] {
  const bare = expr.replace(/\b(by|without)\s*\([^)]*\)/g, "").replace(/\{[^}]*\}/g, "{}");
  return [...bare.matchAll(/\b([a-zA-Z_:][\w:]*)\s*(?=[{[)])/g)].map((match) => match[1] as string);
}

describe("deploy/observability", () => {
  it("has a Prometheus configuration promtool accepts", () => {
    const result = spawnSync(
      requireCommand("promtool"),
      ["check", "config", repoPath("deploy/observability/prometheus.yml")],
      { encoding: "utf8" },
    );
    assert.equal(result.status, 0, `${result.stdout}${result.stderr}`);
  });

  it("has a dashboard naming only metrics the server and gateway register", () => {
    const dashboard = JSON.parse(
      readRepoFile("deploy/observability/grafana/dashboards/teams.json"),
    ) as Dashboard;
    const server = new ServerMetrics();
    server.watch({ watchers: () => 0, feedLag: async () => 0 });
    server.postgresPool({ totalCount: 0, idleCount: 0, waitingCount: 0, options: { max: 10 } });
    const known = new Set([
      ...exposedNames(server.registry),
      ...exposedNames(new GatewayMetrics(() => ({ sessionsOpened: 0, openStreams: 0 })).registry),
    ]);
    const exprs = (dashboard.panels ?? []).flatMap((panel) =>
      (panel.targets ?? []).map((target) => ({ panel: panel.title, expr: target.expr ?? "" })),
    );
    assert.ok(exprs.length >= 8, "a panel per question an operator asks");
    for (const { panel, expr } of exprs) {
      const names = metricNames(expr);
      assert.ok(names.length > 0, `${panel}: no metric in ${expr}`);
      for (const name of names) assert.ok(known.has(name), `${panel}: unknown metric ${name}`);
    }
  });
});
