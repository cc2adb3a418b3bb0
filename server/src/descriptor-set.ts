import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadSync, type PackageDefinition } from "@grpc/proto-loader";
import { protoPath as healthProtoPath } from "grpc-health-check";
import descriptor from "protobufjs/ext/descriptor/index.js";

/** proto/ at the repository root: the contract is read as-is, never copied. */
export const contractDir = fileURLToPath(new URL("../../proto", import.meta.url));

const require = createRequire(import.meta.url);
const reflectionProtoDir = join(dirname(require.resolve("@grpc/reflection")), "../proto");
const healthProtoDir = join(dirname(healthProtoPath), "../..");

/** Every .proto the server serves, as (include dir, path inside it). */
const servedProtos: ReadonlyArray<readonly [string, string]> = [
  [contractDir, "teams.proto"],
  [healthProtoDir, "health/v1/health.proto"],
  [reflectionProtoDir, "grpc/reflection/v1/reflection.proto"],
  [reflectionProtoDir, "grpc/reflection/v1alpha/reflection.proto"],
];

type FileDescriptorProto = { name?: string; package?: string };
const { FileDescriptorProto } = descriptor as unknown as {
  FileDescriptorProto: {
    decode(bytes: Uint8Array): FileDescriptorProto;
    encode(file: FileDescriptorProto): { finish(): Uint8Array };
  };
};

/**
 * The descriptors reflection hands out, loaded from the .proto sources at start.
 *
 * proto-loader (protobufjs) names each file descriptor after its package
 * ("root.proto" for teams.proto, which has none), so each file is loaded on its own
 * and its one descriptor is renamed back to its real path: `grpcurl describe` and
 * reflection clients then see "teams.proto".
 */
export function loadServedDescriptors(): PackageDefinition {
  let merged: PackageDefinition = {};
  for (const [includeDir, file] of servedProtos) {
    const definition = loadSync(file, { includeDirs: [includeDir] });
    renameFileDescriptor(definition, file);
    merged = { ...merged, ...definition };
  }
  return merged;
}

function renameFileDescriptor(definition: PackageDefinition, file: string): void {
  const seen = new Set<Buffer[]>();
  for (const entry of Object.values(definition)) {
    const protos = "fileDescriptorProtos" in entry ? entry.fileDescriptorProtos : undefined;
    if (!Array.isArray(protos) || seen.has(protos)) continue;
    seen.add(protos);
    const [only] = protos;
    if (only === undefined || protos.length !== 1) {
      // An import would add descriptors named after their packages too; renaming them
      // needs a package-to-file map this server does not need yet.
      throw new Error(
        `${file}: expected one file descriptor, got ${protos.length} (imports are not supported here)`,
      );
    }
    const decoded = FileDescriptorProto.decode(only);
    decoded.name = file;
    protos[0] = Buffer.from(FileDescriptorProto.encode(decoded).finish());
  }
}
