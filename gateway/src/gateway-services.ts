// GATEWAY_SERVICES: which gRPC services the gateway forwards. Envoy routes only the
// contract's services and health; anything else (server reflection, a service the server
// registers later) must not be reachable from the public port either.

/** The services of proto/teams.proto plus health: the routes envoy.yaml has (checked by deploy). */
export const defaultGatewayServices = "Teams,grpc.health.v1.Health";

export interface ServicePolicy {
  /** `*`: forward every path, for use in front of any gRPC server. */
  readonly any: boolean;
  readonly names: ReadonlySet<string>;
}

const serviceName = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/** Parses GATEWAY_SERVICES (comma-separated full service names, or `*`); throws naming the entry. */
export function parseGatewayServices(value: string = defaultGatewayServices): ServicePolicy {
  const entries = value
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
  if (entries.includes("*")) return { any: true, names: new Set() };
  for (const entry of entries) {
    if (!serviceName.test(entry)) {
      throw new Error(
        `GATEWAY_SERVICES: ${JSON.stringify(entry)} is not a full service name; use package.Service (e.g. grpc.health.v1.Health), comma-separated, or "*" for every service`,
      );
    }
  }
  if (entries.length === 0) throw new Error("GATEWAY_SERVICES: empty; name at least one service");
  return { any: false, names: new Set(entries) };
}

/** The service of a gRPC path `/package.Service/Method` ("" when it has no such shape). */
export function serviceOfPath(path: string): string {
  const last = path.lastIndexOf("/");
  return last > 0 ? path.slice(1, last) : "";
}

/** Whether a call to `path` is forwarded upstream. */
export function isServiceForwarded(policy: ServicePolicy, path: string): boolean {
  return policy.any || policy.names.has(serviceOfPath(path));
}
