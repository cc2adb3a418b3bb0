// Public entry: start a gateway in-process (tests, the stack command, other tools).

export { gatewayOptionsFromEnv } from "./config.ts";
// The defaults deploy/ checks Envoy and nginx against, so the policies cannot drift apart.
export { defaultCorsOrigins } from "./cors.ts";
export {
  defaultMaxMessageBytes,
  type Gateway,
  type GatewayOptions,
  startGateway,
} from "./gateway.ts";
export { defaultGatewayServices } from "./gateway-services.ts";
export { alwaysAllowedRequestHeaders, alwaysExposedHeaders } from "./headers.ts";
export { securityHeaders } from "./static-files.ts";
export { Code, GatewayError } from "./status.ts";
export { type GatewayTracing, loadGatewayTracing } from "./tracing/gateway-tracing.ts";
