// Public entry: start a gateway in-process (tests, the stack command, other tools).

export { gatewayOptionsFromEnv } from "./config.ts";
export { type Gateway, type GatewayOptions, startGateway } from "./gateway.ts";
export { Code, GatewayError } from "./status.ts";
