// Reads the files that describe the Docker stack, from the repo root, for the consistency
// checks: envoy.yaml, docker-compose.yml, the contract, the Node gateway's defaults.
import { readFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
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
  allowedRequestHeaders: string[];
  exposedHeaders: string[];
  /** Gateway CORS_ORIGINS syntax: comma-separated `scheme://host[:port|:*]`. */
  corsOrigins: string;
  maxMessageBytes: number;
  /** Gateway GATEWAY_SERVICES default: comma-separated full service names it forwards. */
  services: string;
}

async function importExport<T>(
  relative: string,
  name: string,
  isValid: (value: unknown) => boolean,
): Promise<T> {
  const module = (await import(pathToFileURL(repoPath(relative)).href)) as Record<string, unknown>;
  const value = module[name];
  if (!isValid(value)) {
    throw new Error(
      `${relative} no longer exports ${name} as expected; update deploy/src/stack-files.ts`,
    );
  }
  return value as T;
}

const isStringList = (value: unknown) =>
  Array.isArray(value) && value.every((item) => typeof item === "string");

/** Imported from gateway/src at run time, so the two policies cannot drift apart unnoticed. */
export async function loadGatewayDefaults(): Promise<GatewayDefaults> {
  return {
    allowedRequestHeaders: await importExport(
      "gateway/src/headers.ts",
      "alwaysAllowedRequestHeaders",
      isStringList,
    ),
    exposedHeaders: await importExport(
      "gateway/src/headers.ts",
      "alwaysExposedHeaders",
      isStringList,
    ),
    corsOrigins: await importExport(
      "gateway/src/cors.ts",
      "defaultCorsOrigins",
      (value) => typeof value === "string",
    ),
    maxMessageBytes: await importExport(
      "gateway/src/gateway.ts",
      "defaultMaxMessageBytes",
      Number.isInteger,
    ),
    services: await importExport(
      "gateway/src/gateway-services.ts",
      "defaultGatewayServices",
      (value) => typeof value === "string",
    ),
  };
}

/** The port web/nginx.conf's server listens on (Envoy's web cluster must use it). */
export function nginxListenPort(relative = "web/nginx.conf"): number {
  const match = /^\s*listen\s+(\d+)/m.exec(readRepoFile(relative));
  if (!match) throw new Error(`${relative}: no "listen <port>;" line`);
  return Number(match[1]);
}
