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

const unknownMethod: MethodLabels = Object.freeze({
  grpc_service: "unknown",
  grpc_method: "unknown",
  grpc_type: "unknown",
});

// Each contract path's labels, made once: every call of a method shares its labels object.
const labelsByPath: ReadonlyMap<string, MethodLabels> = new Map(
  Object.entries(contractMethods).map(([path, type]) => {
    const slash = path.lastIndexOf("/");
    const labels = {
      grpc_service: path.slice(1, slash),
      grpc_method: path.slice(slash + 1),
      grpc_type: type,
    };
    return [path, Object.freeze(labels)];
  }),
);

/** The labels of a request path (query string ignored); the same object for every call. */
export function methodLabels(url: string | undefined): MethodLabels {
  const exact = labelsByPath.get(url ?? "");
  if (exact) return exact;
  return labelsByPath.get((url ?? "").split("?")[0] ?? "") ?? unknownMethod;
}

const codeLabelsByMethod = new WeakMap<MethodLabels, Map<number, HandledLabels>>();

export type HandledLabels = MethodLabels & { grpc_code: string };

/** A method's labels with a status code's, made once per method and code. */
export function handledLabels(labels: MethodLabels, code: number): HandledLabels {
  let byCode = codeLabelsByMethod.get(labels);
  if (!byCode) {
    byCode = new Map();
    codeLabelsByMethod.set(labels, byCode);
  }
  let handled = byCode.get(code);
  if (!handled) {
    handled = Object.freeze({ ...labels, grpc_code: codeLabel(code) });
    byCode.set(code, handled);
  }
  return handled;
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
