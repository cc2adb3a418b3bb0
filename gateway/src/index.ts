// Public entry: start a gateway in-process (tests, the stack command, other tools).

export { gatewayOptionsFromEnv } from "./config";
export { type Gateway, type GatewayOptions, startGateway } from "./gateway";
export { Code, GatewayError } from "./status";
