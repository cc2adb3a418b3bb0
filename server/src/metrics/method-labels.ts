// The `grpc_service` / `grpc_method` / `grpc_type` labels of a call, bounded: only the
// contract's methods and the standard health and reflection services get their own
// labels; any other path is one `unknown` series, so a scanner cannot grow the metrics.
import type { ServerMethodDefinition } from "@grpc/grpc-js";
import { teamsServiceDefinition } from "../rpc/teams-handlers.ts";

export type MethodLabels = { grpc_service: string; grpc_method: string; grpc_type: string };

const standardPaths = [
  "/grpc.health.v1.Health/Check",
  "/grpc.health.v1.Health/Watch",
  "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo",
  "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo",
];

/** Every path that gets its own labels. */
export const knownMethodPaths: ReadonlySet<string> = new Set([
  ...Object.values(teamsServiceDefinition).map((method) => method.path),
  ...standardPaths,
]);

const unknownLabels = { grpc_service: "unknown", grpc_method: "unknown" };

/** go-grpc-prometheus's grpc_type values. */
export function grpcType(
  method: Pick<ServerMethodDefinition<unknown, unknown>, "requestStream" | "responseStream">,
): string {
  if (method.requestStream) return method.responseStream ? "bidi_stream" : "client_stream";
  return method.responseStream ? "server_stream" : "unary";
}

export function methodLabels(
  method: Pick<
    ServerMethodDefinition<unknown, unknown>,
    "path" | "requestStream" | "responseStream"
  >,
): MethodLabels {
  const type = grpcType(method);
  if (!knownMethodPaths.has(method.path)) return { ...unknownLabels, grpc_type: type };
  const slash = method.path.lastIndexOf("/");
  return {
    grpc_service: method.path.slice(1, slash),
    grpc_method: method.path.slice(slash + 1),
    grpc_type: type,
  };
}

/** Go's spelling of a status code (codes.Code.String()), as go-grpc-prometheus labels it. */
export const goCodeNames = [
  "OK",
  "Canceled",
  "Unknown",
  "InvalidArgument",
  "DeadlineExceeded",
  "NotFound",
  "AlreadyExists",
  "PermissionDenied",
  "ResourceExhausted",
  "FailedPrecondition",
  "Aborted",
  "OutOfRange",
  "Unimplemented",
  "Internal",
  "Unavailable",
  "DataLoss",
  "Unauthenticated",
] as const;

export function codeLabel(code: number): string {
  return goCodeNames[code] ?? "Unknown";
}
