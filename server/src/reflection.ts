import type { Server } from "@grpc/grpc-js";
import type { PackageDefinition } from "@grpc/proto-loader";
import { ReflectionService } from "@grpc/reflection";

/** The two indexes of @grpc/reflection 1.0.x's per-version implementation we correct. */
type ReflectionIndexes = { symbols: Record<string, unknown>; services: Record<string, unknown> };

/**
 * Server reflection (grpc.reflection.v1 and v1alpha), so grpcurl and friends work
 * without the .proto.
 *
 * Fix for @grpc/reflection 1.0.x (grpc-node issues 2671 and 2934): it builds each
 * symbol's full name as `${package}.${name}`, so in a file with no package, like the
 * tutorial's teams.proto, the service is listed as ".Teams" and `file_containing_symbol
 * Teams` answers NOT_FOUND. After the library has built its indexes (its reference
 * pass already accepts both spellings), we re-key every dotted name without the dot.
 * The indexes are private fields, so the fix checks they exist and fails at start,
 * loudly, if a future version renames them; test/reflection.test.ts pins the result.
 */
export function addReflection(server: Server, descriptors: PackageDefinition): void {
  const reflection = new ReflectionService(descriptors);
  const versions = reflection as unknown as { v1?: unknown; v1Alpha?: unknown };
  for (const implementation of [versions.v1, versions.v1Alpha]) {
    dropLeadingDots(asIndexes(implementation));
  }
  reflection.addToServer(server);
}

function asIndexes(implementation: unknown): ReflectionIndexes {
  const candidate = implementation as Partial<ReflectionIndexes> | undefined;
  if (typeof candidate?.symbols !== "object" || typeof candidate.services !== "object") {
    throw new Error(
      "@grpc/reflection changed its internals: the package-less name fix in server/src/reflection.ts needs updating",
    );
  }
  return candidate as ReflectionIndexes;
}

function dropLeadingDots({ symbols, services }: ReflectionIndexes): void {
  for (const index of [symbols, services]) {
    for (const name of Object.keys(index)) {
      if (!name.startsWith(".")) continue;
      index[name.slice(1)] = index[name];
      delete index[name];
    }
  }
}
