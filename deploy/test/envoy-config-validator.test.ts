import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { validateEnvoyBootstrap, validateEnvoyYaml } from "../src/envoy-yaml-validation.ts";

// biome-ignore lint/suspicious/noExplicitAny: fixtures are free-form JSON that each test bends.
type Json = any;

// A small but complete bootstrap: one HTTP listener routing to one cluster.
function minimalBootstrap(): Record<string, Json> {
  return {
    static_resources: {
      listeners: [
        {
          name: "http",
          address: { socket_address: { address: "0.0.0.0", port_value: 8080 } },
          filter_chains: [
            {
              filters: [
                {
                  name: "envoy.filters.network.http_connection_manager",
                  typed_config: {
                    "@type":
                      "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager",
                    stat_prefix: "http",
                    route_config: {
                      virtual_hosts: [
                        {
                          name: "all",
                          domains: ["*"],
                          routes: [
                            {
                              match: { prefix: "/" },
                              route: { cluster: "backend", timeout: "0s" },
                            },
                          ],
                        },
                      ],
                    },
                    http_filters: [
                      {
                        name: "envoy.filters.http.router",
                        typed_config: {
                          "@type":
                            "type.googleapis.com/envoy.extensions.filters.http.router.v3.Router",
                        },
                      },
                    ],
                  },
                },
              ],
            },
          ],
        },
      ],
      clusters: [
        {
          name: "backend",
          type: "STRICT_DNS",
          connect_timeout: "1s",
          lb_policy: "ROUND_ROBIN",
          load_assignment: {
            cluster_name: "backend",
            endpoints: [
              {
                lb_endpoints: [
                  {
                    endpoint: {
                      address: { socket_address: { address: "server", port_value: 50051 } },
                    },
                  },
                ],
              },
            ],
          },
        },
      ],
    },
  };
}

function hcm(config: Record<string, Json>): Record<string, Json> {
  return config.static_resources.listeners[0].filter_chains[0].filters[0].typed_config;
}

function messages(config: unknown): string[] {
  return validateEnvoyBootstrap(config).map(({ path, message }) => `${path}: ${message}`);
}

describe("validateEnvoyBootstrap", () => {
  it("accepts a valid bootstrap", () => {
    assert.deepEqual(messages(minimalBootstrap()), []);
  });

  it("accepts camelCase field names, as protobuf's JSON parser does", () => {
    const config = minimalBootstrap();
    const cluster = config.static_resources.clusters[0];
    cluster.connectTimeout = cluster.connect_timeout;
    delete cluster.connect_timeout;
    assert.deepEqual(messages(config), []);
  });

  it("refuses a misspelled field and suggests the right name", () => {
    const config = minimalBootstrap();
    config.static_resources.clusters[0].conect_timeout = "1s";
    const found = messages(config);
    assert.equal(found.length, 1);
    assert.match(
      found[0] ?? "",
      /clusters\[0\]\.conect_timeout: unknown field .*did you mean "connect_timeout"/,
    );
  });

  it("refuses a misspelled field inside a typed_config Any", () => {
    const config = minimalBootstrap();
    hcm(config).stream_idle_timout = "300s";
    assert.match(
      messages(config).join("\n"),
      /typed_config\.stream_idle_timout: unknown field .*HttpConnectionManager/,
    );
  });

  it("refuses an @type that is not a message of Envoy's v3 API", () => {
    const config = minimalBootstrap();
    hcm(config).http_filters[0].typed_config["@type"] =
      "type.googleapis.com/envoy.config.filter.http.router.v2.Router";
    assert.match(
      messages(config).join("\n"),
      /http_filters\[0\]\.typed_config\.@type: unknown @type "envoy\.config\.filter\.http\.router\.v2\.Router"/,
    );
  });

  it("refuses a real @type used where another extension family belongs", () => {
    const config = minimalBootstrap();
    hcm(config).http_filters[0].typed_config["@type"] =
      "type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy";
    assert.match(
      messages(config).join("\n"),
      /cannot be used here: expected a type under envoy\.extensions\.filters\.http\./,
    );
  });

  it("refuses a deprecated field: the virtual host `cors` policy", () => {
    const config = minimalBootstrap();
    hcm(config).route_config.virtual_hosts[0].cors = { allow_methods: "POST" };
    assert.match(
      messages(config).join("\n"),
      /virtual_hosts\[0\]\.cors: envoy\.config\.route\.v3\.VirtualHost\.cors is deprecated/,
    );
  });

  it("refuses a deprecated enum value", () => {
    const config = minimalBootstrap();
    config.dynamic_resources = { lds_config: { resource_api_version: "V2", ads: {} } };
    assert.match(
      messages(config).join("\n"),
      /resource_api_version: envoy\.config\.core\.v3\.ApiVersion\.V2 is deprecated/,
    );
  });

  it("refuses an enum name that does not exist", () => {
    const config = minimalBootstrap();
    config.static_resources.clusters[0].lb_policy = "ROUND_ROBBIN";
    assert.match(
      messages(config).join("\n"),
      /lb_policy: must be one of ROUND_ROBIN, .*got "ROUND_ROBBIN" \(did you mean "ROUND_ROBIN"\?\)/,
    );
  });

  it("refuses a duration without its unit", () => {
    const config = minimalBootstrap();
    config.static_resources.clusters[0].connect_timeout = 1;
    assert.match(messages(config).join("\n"), /connect_timeout: must be a duration string/);
  });

  it("applies Envoy's validation rules: required fields, bounds, oneofs", () => {
    const config = minimalBootstrap();
    delete config.static_resources.clusters[0].name;
    config.static_resources.clusters[0].connect_timeout = "0s";
    hcm(config).max_request_headers_kb = 9000;
    hcm(config).route_config.virtual_hosts[0].routes[0].redirect = { path_redirect: "/x" };
    const found = messages(config).join("\n");
    assert.match(found, /clusters\[0\]\.name: must be at least 1 characters, got 0/);
    assert.match(found, /connect_timeout: must be greater than 0s, got 0s/);
    assert.match(found, /max_request_headers_kb: must be at most 8192, got 9000/);
    assert.match(found, /routes\[0\]: only one of route, redirect may be set \(oneof action\)/);
  });

  it("refuses a value of the wrong JSON type", () => {
    const config = minimalBootstrap();
    config.static_resources.listeners[0].address.socket_address.port_value = "http";
    config.static_resources.listeners[0].filter_chains = {};
    const found = messages(config).join("\n");
    assert.match(found, /port_value: must be an integer \(uint32\), got string "http"/);
    assert.match(found, /filter_chains: must be a list/);
  });
});

describe("validateEnvoyYaml", () => {
  it("refuses duplicate keys, where one value would be lost", () => {
    const { problems } = validateEnvoyYaml("admin: {}\nadmin: {}\n");
    assert.match(problems[0]?.message ?? "", /unique/);
  });

  it("reads YAML into the same checks", () => {
    const { problems } = validateEnvoyYaml("static_resources:\n  clusterz: []\n");
    assert.match(problems[0]?.message ?? "", /unknown field "clusterz" .*did you mean "clusters"/);
  });
});
