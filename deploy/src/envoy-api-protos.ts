// Loads Envoy's own v3 API protos (shipped in @grpc/grpc-js-xds under deps/) into one
// protobufjs Root, so envoy.yaml can be checked against the real schema without an Envoy binary.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import protobuf from "protobufjs";

/** The loaded schema, plus the v3 files left out because an import they need is not shipped. */
export interface EnvoyApiProtos {
  root: protobuf.Root;
  skippedFiles: string[];
}

const require = createRequire(import.meta.url);
const xdsPackageDir = dirname(require.resolve("@grpc/grpc-js-xds/package.json"));
const protobufjsDir = dirname(require.resolve("protobufjs/package.json"));
const depsDir = join(xdsPackageDir, "deps");
const includeDirs = ["envoy-api", "xds", "googleapis", "protoc-gen-validate"].map((name) =>
  join(depsDir, name),
);
const envoyApiDir = join(depsDir, "envoy-api");
const importPattern = /^import\s+(?:public\s+|weak\s+)?"([^"]+)";/gm;

/** Where an import path lives on disk, or undefined when no include dir has it. */
function resolveImport(target: string): string | undefined {
  for (const dir of includeDirs) {
    const candidate = join(dir, target);
    if (existsSync(candidate)) return candidate;
  }
  // descriptor.proto ships as a file in protobufjs; the other well-known types are built in.
  const bundled = join(protobufjsDir, target);
  if (target.startsWith("google/protobuf/") && existsSync(bundled)) return bundled;
  return undefined;
}

function isBuiltIn(target: string): boolean {
  return target.startsWith("google/protobuf/") && protobuf.common.get(target) !== null;
}

function listProtoFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((name) => name.endsWith(".proto"))
    .map((name) => join(dir, name));
}

/**
 * Whether a file and everything it imports is present. The package ships only what gRPC's xDS
 * client needs plus the v3 tree; a few files (old v2 API, OpenCensus/OpenTelemetry tracing)
 * import protos that are not shipped, so they are skipped instead of failing the whole load.
 */
function makeCompletenessCheck(): (target: string) => boolean {
  const known = new Map<string, boolean>();
  const isComplete = (target: string): boolean => {
    const cached = known.get(target);
    if (cached !== undefined) return cached;
    known.set(target, true); // import cycles: assume complete while visiting
    const path = resolveImport(target);
    let complete = path !== undefined || isBuiltIn(target);
    if (path !== undefined) {
      for (const match of readFileSync(path, "utf8").matchAll(importPattern)) {
        if (!isComplete(match[1] ?? "")) complete = false;
      }
    }
    known.set(target, complete);
    return complete;
  };
  return isComplete;
}

let cached: EnvoyApiProtos | undefined;

/** Loads (once per process) every Envoy v3 API proto whose imports are all shipped. */
export function loadEnvoyApiProtos(): EnvoyApiProtos {
  if (cached) return cached;
  const isComplete = makeCompletenessCheck();
  const v3Files = listProtoFiles(envoyApiDir)
    .map((path) => relative(envoyApiDir, path))
    .filter((path) => /\/v3[a-z0-9]*\//.test(path));
  const loadable = v3Files.filter(isComplete);
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => resolveImport(target) ?? target;
  // keepCase: envoy.yaml uses the proto field names (snake_case); camelCase is checked too.
  root.loadSync(loadable, { keepCase: true });
  root.resolveAll();
  cached = { root, skippedFiles: v3Files.filter((path) => !loadable.includes(path)) };
  return cached;
}
