// envoy.yaml's jwt_authn: a second token check at the edge, for the write methods only.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { developmentAudience, developmentIssuer } from "@teams/server";
import protobuf from "protobufjs";
import { connectionManager, type EnvoyBootstrap } from "../src/envoy-config-shape.ts";
import { validateEnvoyYaml } from "../src/envoy-config-validator.ts";
import { readRepoFile } from "../src/stack-files.ts";

const jwtAuthnFilter = "envoy.filters.http.jwt_authn";
/** The RPCs that need `authorization: Bearer <JWT>` (proto/teams.proto says which). */
const writeMethods = ["PutTeam", "DeleteTeam", "ImportTeams"];

type JwtRule = {
  match?: {
    safe_regex?: { regex?: string };
    headers?: Array<{ name?: string; string_match?: { exact?: string } }>;
  };
  requires?: { provider_name?: string };
};
type JwtAuthentication = {
  providers?: Record<string, Record<string, unknown>>;
  rules?: JwtRule[];
  bypass_cors_preflight?: boolean;
};

function jwtFilters(): Array<{ listener: string; filters: string[]; config: JwtAuthentication }> {
  const envoy = validateEnvoyYaml(readRepoFile("envoy.yaml")).config as EnvoyBootstrap;
  // The internal prometheus_stats listener carries no calls, only Envoy's own stats.
  const callListeners = (envoy.static_resources?.listeners ?? []).filter(
    (listener) => listener.name !== "prometheus_stats",
  );
  return callListeners.map((listener) => {
    const filters = connectionManager(listener)?.http_filters ?? [];
    const filter = filters.find((item) => item.name === jwtAuthnFilter);
    return {
      listener: listener.name ?? "",
      filters: filters.map((item) => item.name ?? ""),
      config: (filter?.typed_config ?? {}) as JwtAuthentication,
    };
  });
}

function contractMethods(): string[] {
  const { root } = protobuf.parse(readRepoFile("proto/teams.proto"), { keepCase: true });
  return root.lookupService("Teams").methodsArray.map((method) => method.name);
}

describe("envoy.yaml jwt_authn", () => {
  it("is checked field by field against Envoy's jwt_authn proto", () => {
    const broken = readRepoFile("envoy.yaml").replace("forward: true", "forwrd: true");
    const problems = validateEnvoyYaml(broken).problems.map((problem) => problem.message);
    assert.ok(
      problems.some((message) => /unknown field "forwrd"/.test(message)),
      problems.join(),
    );
  });

  it("checks tokens on both listeners, after CORS and just before the router", () => {
    const listeners = jwtFilters();
    assert.deepEqual(
      listeners.map((item) => item.listener),
      ["grpc_web", "native_grpc"],
    );
    for (const { listener, filters } of listeners) {
      assert.equal(filters.at(-2), jwtAuthnFilter, `${listener}: ${filters.join(", ")}`);
      assert.equal(filters.at(-1), "envoy.filters.http.router");
    }
  });

  it("requires a token for POSTs to the write methods only: reads and preflights stay anonymous", () => {
    const methods = contractMethods();
    assert.ok(
      writeMethods.every((method) => methods.includes(method)),
      methods.join(),
    );
    for (const { listener, config } of jwtFilters()) {
      assert.equal(config.rules?.length, 1, listener);
      const [rule] = config.rules ?? [];
      const regex = new RegExp(rule?.match?.safe_regex?.regex ?? "(?!)");
      const guarded = methods.filter((method) => regex.test(`/Teams/${method}`));
      assert.deepEqual(
        guarded,
        writeMethods,
        `${listener}: the rule must match exactly the writes`,
      );
      assert.ok(!regex.test("/Teams/PutTeamX") && !regex.test("/x/Teams/PutTeam"), "anchored");
      assert.deepEqual(rule?.match?.headers, [
        { name: ":method", string_match: { exact: "POST" } },
      ]);
      assert.equal(rule?.requires?.provider_name, "teams");
      assert.equal(config.bypass_cors_preflight, true);
    }
  });

  it("forwards the token to the server, which checks it again with the same issuer and audience", () => {
    for (const { listener, config } of jwtFilters()) {
      const provider = config.providers?.teams ?? {};
      assert.equal(provider.forward, true, `${listener}: the server needs the token too`);
      assert.deepEqual(provider.from_headers, [{ name: "authorization", value_prefix: "Bearer " }]);
      assert.equal(provider.issuer, developmentIssuer);
      assert.deepEqual(provider.audiences, [developmentAudience]);
      assert.deepEqual(provider.local_jwks, { filename: "/etc/teams/jwks/jwks.json" });
      assert.equal(provider.require_expiration, true);
    }
  });
});
