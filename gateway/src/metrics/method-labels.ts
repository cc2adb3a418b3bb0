// Bounded method labels for the gateway's metrics: the contract's methods and health get
// their own; any other path (a scanner, a service the server added later) is `unknown`.
// gateway/test/metrics.test.ts checks this list against the server's service definition.
import { Code } from "../status.ts";

export const contractMethods: Readonly<Record<string, string>> = {
  "/Teams/GetTeam": "unary",
  "/Teams/ListTeams": "server_stream",
  "/Teams/PutTeam": "unary",
  "/Teams/DeleteTeam": "unary",
  "/Teams/ImportTeams": "client_stream",
  "/Teams/LookupTeams": "bidi_stream",
  "/Teams/WatchTeams": "server_stream",
  "/grpc.health.v1.Health/Check": "unary",
  "/grpc.health.v1.Health/Watch": "server_stream",
};

export type MethodLabels = { grpc_service: string; grpc_method: string; grpc_type: string };

const unknownMethod: MethodLabels = {
  grpc_service: "unknown",
  grpc_method: "unknown",
  grpc_type: "unknown",
};

/** The labels of a request path (query string ignored). */
export function methodLabels(url: string | undefined): MethodLabels {
  const path = (url ?? "").split("?")[0] ?? "";
  const type = contractMethods[path];
  if (type === undefined) return unknownMethod;
  const slash = path.lastIndexOf("/");
  return {
    grpc_service: path.slice(1, slash),
    grpc_method: path.slice(slash + 1),
    grpc_type: type,
  };
}

const codeNames = new Map<number, string>(
  Object.entries(Code).map(([name, code]) => [code, goSpelling(name)]),
);

/** NOT_FOUND -> NotFound, as Go's codes.Code.String() spells it (and CANCELLED -> Canceled). */
function goSpelling(name: string): string {
  if (name === "CANCELLED") return "Canceled";
  if (name === "OK") return "OK";
  return name
    .toLowerCase()
    .replace(/(^|_)([a-z])/g, (_match, _sep: string, letter: string) => letter.toUpperCase());
}

/** Go's spelling of a status code, as go-grpc-prometheus labels it (server metrics too). */
export function codeLabel(code: number): string {
  return codeNames.get(code) ?? "Unknown";
}
