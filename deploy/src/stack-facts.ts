// What the Envoy config is checked against: the rest of the stack, read from its files.
import type { ComposeFile } from "./compose-checks.ts";
import type { EnvoyBootstrap } from "./envoy-config-shape.ts";
import type { GatewayDefaults } from "./stack-files.ts";

export interface StackFacts {
  envoy: EnvoyBootstrap;
  compose: ComposeFile;
  /** `/Teams/` etc. from proto/teams.proto, plus `/grpc.health.v1.Health/`. */
  grpcPrefixes: string[];
  /** Health service names Envoy may ask for: "" and the contract's services. */
  healthServiceNames: string[];
  gateway: GatewayDefaults;
  /** The port web/nginx.conf listens on. */
  webPort: number;
}
