// envoy.yaml, checked without Envoy: against Envoy's v3 API protos, then against the stack.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type { ComposeFile } from "../src/compose-checks.ts";
import type { EnvoyBootstrap } from "../src/envoy-config-shape.ts";
import { formatProblems, validateEnvoyYaml } from "../src/envoy-config-validator.ts";
import { checkEnvoyAgainstStack, type StackFacts } from "../src/stack-consistency.ts";
import {
  grpcServicePrefixes,
  loadGatewayDefaults,
  nginxListenPort,
  readRepoFile,
  readYaml,
} from "../src/stack-files.ts";

const healthPrefix = "/grpc.health.v1.Health/";

async function loadFacts(): Promise<StackFacts> {
  const contract = grpcServicePrefixes("proto/teams.proto");
  return {
    envoy: validateEnvoyYaml(readRepoFile("envoy.yaml")).config as EnvoyBootstrap,
    compose: readYaml("docker-compose.yml") as ComposeFile,
    grpcPrefixes: [...contract, healthPrefix],
    healthServiceNames: ["", ...contract.map((prefix) => prefix.slice(1, -1))],
    gateway: loadGatewayDefaults(),
    webPort: nginxListenPort(),
  };
}

describe("envoy.yaml against Envoy's v3 API", () => {
  it("is a valid Bootstrap with no unknown, mistyped or deprecated field", () => {
    const { problems } = validateEnvoyYaml(readRepoFile("envoy.yaml"));
    assert.equal(formatProblems(problems), "");
  });

  it("fails when a field is misspelled", () => {
    const broken = readRepoFile("envoy.yaml").replace(
      "stream_idle_timeout:",
      "stream_idle_timout:",
    );
    assert.match(
      formatProblems(validateEnvoyYaml(broken).problems),
      /unknown field "stream_idle_timout"/,
    );
  });

  it("fails when the deprecated virtual-host cors field is used instead of the filter's policy", () => {
    const broken = readRepoFile("envoy.yaml").replace(
      "typed_per_filter_config:",
      "cors: { allow_methods: POST }\n                      typed_per_filter_config:",
    );
    assert.match(
      formatProblems(validateEnvoyYaml(broken).problems),
      /VirtualHost\.cors is deprecated/,
    );
  });
});

describe("envoy.yaml against the stack", () => {
  let facts: StackFacts;
  before(async () => {
    facts = await loadFacts();
  });

  it("routes exactly the contract's services plus health to the server", () => {
    assert.deepEqual(facts.grpcPrefixes, ["/Teams/", healthPrefix]);
    assert.deepEqual(checkEnvoyAgainstStack(facts), []);
  });

  it("flags a service in the contract that Envoy does not route", () => {
    const problems = checkEnvoyAgainstStack({
      ...facts,
      grpcPrefixes: [...facts.grpcPrefixes, "/Leagues/"],
    });
    assert.match(
      problems.join("\n"),
      /routes to teams_server must be exactly \/Teams\/, \/grpc\.health\.v1\.Health\/, \/Leagues\//,
    );
  });

  it("flags a server port that differs from the Compose service's GRPC_PORT", () => {
    const compose = structuredClone(facts.compose);
    const server = compose.services?.server;
    assert.ok(server?.environment && !Array.isArray(server.environment));
    server.environment.GRPC_PORT = "6000";
    assert.match(
      checkEnvoyAgainstStack({ ...facts, compose }).join("\n"),
      /must send to server:6000/,
    );
  });

  it("flags container health checks that probe the wrong port", () => {
    const problems = checkEnvoyAgainstStack({ ...facts, webPort: 8081 }).join("\n");
    assert.match(problems, /web healthcheck: must fetch http:\/\/127\.0\.0\.1:8081\//);
    assert.match(problems, /cluster web: must send to web:8081/);
  });

  it("flags a GATEWAY_SERVICES default that differs from Envoy's routes", () => {
    const gateway = {
      ...facts.gateway,
      services: `${facts.gateway.services},grpc.reflection.v1.ServerReflection`,
    };
    assert.match(
      checkEnvoyAgainstStack({ ...facts, gateway }).join("\n"),
      /must match the Node gateway's GATEWAY_SERVICES default/,
    );
  });

  it("flags CORS lists that drift from the Node gateway's", () => {
    const gateway = {
      ...facts.gateway,
      allowedRequestHeaders: [...facts.gateway.allowedRequestHeaders, "x-trace-id"],
      corsOrigins: `${facts.gateway.corsOrigins},https://teams.example`,
    };
    const problems = checkEnvoyAgainstStack({ ...facts, gateway }).join("\n");
    assert.match(
      problems,
      /allow_headers: must be content-type,x-grpc-web,x-user-agent,grpc-timeout,authorization,traceparent,tracestate,baggage,x-trace-id/,
    );
    assert.match(problems, /must allow origin https:\/\/teams\.example/);
  });

  it("flags a message limit that differs from the gateway's MAX_MESSAGE_BYTES", () => {
    const gateway = { ...facts.gateway, maxMessageBytes: 8 * 1024 * 1024 };
    assert.match(
      checkEnvoyAgainstStack({ ...facts, gateway }).join("\n"),
      /per_connection_buffer_limit_bytes: must be 8388608/,
    );
  });

  it("flags a gRPC route whose timeout would cut server streams", () => {
    const envoy = structuredClone(facts.envoy);
    const route =
      envoy.static_resources?.listeners?.[0]?.filter_chains?.[0]?.filters?.[0]?.typed_config
        ?.route_config?.virtual_hosts?.[0]?.routes?.[0]?.route;
    assert.ok(route);
    route.timeout = "15s";
    assert.match(
      checkEnvoyAgainstStack({ ...facts, envoy }).join("\n"),
      /route \/Teams\/: needs timeout: 0s/,
    );
  });
});

describe("envoy.yaml observability", () => {
  const envoyText = readRepoFile("envoy.yaml");

  it("keeps per-method gRPC stats to the contract's methods and health", () => {
    const rpcs = [...readRepoFile("proto/teams.proto").matchAll(/^\s*rpc (\w+)\(/gm)].map(
      (match) => match[1],
    );
    const config = validateEnvoyYaml(envoyText).config as EnvoyBootstrap;
    const listener = config.static_resources?.listeners?.[0];
    const manager = listener?.filter_chains?.[0]?.filters?.[0]?.typed_config as {
      http_filters: Array<{ name: string; typed_config: Record<string, unknown> }>;
    };
    const filters = manager.http_filters;
    const stats = filters.find((filter) => filter.name === "envoy.filters.http.grpc_stats");
    const allowlist = stats?.typed_config.individual_method_stats_allowlist as {
      services: Array<{ name: string; method_names: string[] }>;
    };
    const teams = allowlist.services.find((service) => service.name === "Teams");
    assert.deepEqual([...(teams?.method_names ?? [])].sort(), rpcs.sort());
  });

  it("flags a stats listener that exposes more of the admin interface than /stats/prometheus", async () => {
    const broken = envoyText.replace("path: /stats/prometheus", "prefix: /");
    const facts = await loadFacts();
    const problems = checkEnvoyAgainstStack({
      ...facts,
      envoy: validateEnvoyYaml(broken).config as EnvoyBootstrap,
    });
    assert.match(problems.join("\n"), /only the exact path \/stats\/prometheus may be/);
  });
});
