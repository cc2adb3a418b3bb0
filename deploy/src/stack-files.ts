// Reads the files that describe the Docker stack, from the repo root, for the consistency
// checks: envoy.yaml, docker-compose.yml, the contract, the Node gateway's defaults.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import {
  alwaysAllowedRequestHeaders,
  alwaysExposedHeaders,
  defaultCorsOrigins,
  defaultGatewayServices,
  defaultMaxMessageBytes,
} from "@teams/gateway";
import protobuf from "protobufjs";
import { parse } from "yaml";

export const repoRoot = fileURLToPath(new URL("../../", import.meta.url));

export function repoPath(relative: string): string {
  return `${repoRoot}${relative}`;
}

export function readRepoFile(relative: string): string {
  return readFileSync(repoPath(relative), "utf8");
}

export function readYaml(relative: string): unknown {
  return parse(readRepoFile(relative));
}

/** gRPC path prefixes (`/Service/`, `/pkg.Service/`) of every service in a .proto file. */
export function grpcServicePrefixes(protoRelativePath: string): string[] {
  const { root } = protobuf.parse(readRepoFile(protoRelativePath), { keepCase: true });
  const prefixes: string[] = [];
  const visit = (namespace: protobuf.NamespaceBase): void => {
    for (const nested of namespace.nestedArray) {
      if (nested instanceof protobuf.Service)
        prefixes.push(`/${nested.fullName.replace(/^\./, "")}/`);
      else if (nested instanceof protobuf.Namespace) visit(nested);
    }
  };
  visit(root);
  return prefixes;
}

/** The CORS and size limits the Node gateway applies by default; Envoy must apply the same. */
export interface GatewayDefaults {
  allowedRequestHeaders: readonly string[];
  exposedHeaders: readonly string[];
  /** Gateway CORS_ORIGINS syntax: comma-separated `scheme://host[:port|:*]`. */
  corsOrigins: string;
  maxMessageBytes: number;
  /** Gateway GATEWAY_SERVICES default: comma-separated full service names it forwards. */
  services: string;
}

/** The gateway's own defaults, imported, so the two policies cannot drift apart unnoticed. */
export function loadGatewayDefaults(): GatewayDefaults {
  return {
    allowedRequestHeaders: alwaysAllowedRequestHeaders,
    exposedHeaders: alwaysExposedHeaders,
    corsOrigins: defaultCorsOrigins,
    maxMessageBytes: defaultMaxMessageBytes,
    services: defaultGatewayServices,
  };
}

/** The port web/nginx.conf's server listens on (Envoy's web cluster must use it). */
export function nginxListenPort(relative = "web/nginx.conf"): number {
  const match = /^\s*listen\s+(\d+)/m.exec(readRepoFile(relative));
  if (!match) throw new Error(`${relative}: no "listen <port>;" line`);
  return Number(match[1]);
}
