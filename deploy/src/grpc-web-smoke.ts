// What a user of the deployed stack sees, checked from Node: gRPC-Web calls in both modes, the
// server stream, a rich error, health, CORS, and the page. Run against Envoy by
// `npm run test:compose` and against the Node gateway in CI (the same checks must pass on both).
import { readFileSync } from "node:fs";
import { protoPath as healthProtoPath } from "grpc-health-check";
import protobuf from "protobufjs";
import { type CallResult, callGrpcWeb, type GrpcWebMode } from "./grpc-web-call.ts";
import { repoPath } from "./stack-files.ts";

export interface SmokeCheck {
  name: string;
  ok: boolean;
  detail: string;
}

export interface SmokeOptions {
  /** e.g. http://localhost:8080 */
  baseUrl: string;
  /** An origin the CORS policy allows (a page on the Vite dev server). */
  origin?: string;
  /** Also GET / and expect the page (the web service behind Envoy). */
  checkPage?: boolean;
}

const contract = protobuf.parse(readFileSync(repoPath("proto/teams.proto"), "utf8"), {
  keepCase: true,
}).root;
const health = protobuf.loadSync(healthProtoPath);
/** The contract's messages, looked up once (protobufjs types, named as in the .proto). */
const messages = {
  TeamRequest: contract.lookupType("TeamRequest"),
  TeamResponse: contract.lookupType("TeamResponse"),
  ListTeamsRequest: contract.lookupType("ListTeamsRequest"),
  HealthCheckRequest: health.lookupType("grpc.health.v1.HealthCheckRequest"),
  HealthCheckResponse: health.lookupType("grpc.health.v1.HealthCheckResponse"),
};

export const grpcWebRequestHeaders = ["content-type", "x-grpc-web", "x-user-agent", "grpc-timeout"];
export const grpcWebExposedHeaders = ["grpc-status", "grpc-message", "grpc-status-details-bin"];

function decodeTeams(
  result: CallResult,
): Array<{ city: string; nickname: string; found: boolean }> {
  return result.messages.map(
    (bytes) =>
      messages.TeamResponse.toObject(messages.TeamResponse.decode(bytes), { defaults: true }) as {
        city: string;
        nickname: string;
        found: boolean;
      },
  );
}

function expectOk(result: CallResult): void {
  if (result.httpStatus !== 200 || result.trailers["grpc-status"] !== "0") {
    throw new Error(
      `HTTP ${result.httpStatus}, grpc-status ${result.trailers["grpc-status"]} ${result.trailers["grpc-message"] ?? ""}`,
    );
  }
}

async function getTeamChicago(baseUrl: string, mode: GrpcWebMode): Promise<string> {
  const result = await callGrpcWeb(
    baseUrl,
    "/Teams/GetTeam",
    messages.TeamRequest.encode({ city: "Chicago" }).finish(),
    mode,
  );
  expectOk(result);
  const [team] = decodeTeams(result);
  if (!team?.found || !team.nickname)
    throw new Error(`expected a team, got ${JSON.stringify(team)}`);
  return `${team.city}: ${team.nickname}`;
}

async function listTeams(baseUrl: string, limit: number): Promise<string> {
  const request = messages.ListTeamsRequest.encode({ prefix: "", limit }).finish();
  const result = await callGrpcWeb(baseUrl, "/Teams/ListTeams", request, "text");
  expectOk(result);
  const teams = decodeTeams(result);
  if (limit > 0 && teams.length !== limit)
    throw new Error(`limit ${limit} streamed ${teams.length} teams`);
  if (teams.length < 2) throw new Error(`expected several teams, got ${teams.length}`);
  return `${teams.length} messages, first ${teams[0]?.city}`;
}

async function blankCity(baseUrl: string): Promise<string> {
  const result = await callGrpcWeb(
    baseUrl,
    "/Teams/GetTeam",
    messages.TeamRequest.encode({ city: " " }).finish(),
    "binary",
  );
  if (result.trailers["grpc-status"] !== "3")
    throw new Error(`expected grpc-status 3, got ${result.trailers["grpc-status"]}`);
  if (!result.trailers["grpc-status-details-bin"])
    throw new Error("grpc-status-details-bin is missing");
  return decodeURIComponent(result.trailers["grpc-message"] ?? "");
}

async function healthCheck(baseUrl: string): Promise<string> {
  const request = messages.HealthCheckRequest.encode({ service: "Teams" }).finish();
  const result = await callGrpcWeb(baseUrl, "/grpc.health.v1.Health/Check", request, "binary");
  expectOk(result);
  const answer = messages.HealthCheckResponse.toObject(
    messages.HealthCheckResponse.decode(result.messages[0] ?? new Uint8Array()),
    { enums: String },
  );
  if (answer.status !== "SERVING") throw new Error(`status ${answer.status}`);
  return "Teams: SERVING";
}

function listIncludes(header: string | null, names: string[]): string[] {
  const present = (header ?? "").split(",").map((name) => name.trim().toLowerCase());
  return names.filter((name) => !present.includes(name));
}

async function corsPreflight(baseUrl: string, origin: string): Promise<string> {
  const response = await fetch(new URL("/Teams/GetTeam", baseUrl), {
    method: "OPTIONS",
    headers: {
      origin,
      "access-control-request-method": "POST",
      "access-control-request-headers": grpcWebRequestHeaders.join(","),
    },
    signal: AbortSignal.timeout(15_000),
  });
  await response.arrayBuffer();
  if (response.status < 200 || response.status >= 300) throw new Error(`HTTP ${response.status}`);
  if (response.headers.get("access-control-allow-origin") !== origin) {
    throw new Error(
      `access-control-allow-origin is ${response.headers.get("access-control-allow-origin")}`,
    );
  }
  const missing = listIncludes(
    response.headers.get("access-control-allow-headers"),
    grpcWebRequestHeaders,
  );
  if (missing.length > 0)
    throw new Error(`access-control-allow-headers lacks ${missing.join(", ")}`);
  return `HTTP ${response.status} for ${origin}`;
}

async function corsExposed(baseUrl: string, origin: string): Promise<string> {
  const result = await callGrpcWeb(
    baseUrl,
    "/Teams/GetTeam",
    messages.TeamRequest.encode({ city: "Chicago" }).finish(),
    "text",
    { origin },
  );
  expectOk(result);
  const missing = listIncludes(
    result.headers.get("access-control-expose-headers"),
    grpcWebExposedHeaders,
  );
  if (missing.length > 0)
    throw new Error(`access-control-expose-headers lacks ${missing.join(", ")}`);
  return "grpc-status, grpc-message, grpc-status-details-bin exposed";
}

async function page(baseUrl: string): Promise<string> {
  const response = await fetch(new URL("/", baseUrl), { signal: AbortSignal.timeout(15_000) });
  const html = await response.text();
  if (response.status !== 200 || !/text\/html/.test(response.headers.get("content-type") ?? "")) {
    throw new Error(`HTTP ${response.status} ${response.headers.get("content-type")}`);
  }
  if (!/<script/i.test(html))
    throw new Error("the answer is HTML but not the built page (no script)");
  return `HTTP 200, ${html.length} bytes of HTML`;
}

async function check(name: string, run: () => Promise<string>): Promise<SmokeCheck> {
  try {
    return { name, ok: true, detail: await run() };
  } catch (error) {
    return { name, ok: false, detail: error instanceof Error ? error.message : String(error) };
  }
}

/** Every smoke check, in order; never throws. */
export async function runSmokeChecks(options: SmokeOptions): Promise<SmokeCheck[]> {
  const { baseUrl } = options;
  const origin = options.origin ?? "http://localhost:5173";
  const checks = [
    await check("GetTeam Chicago, binary gRPC-Web", () => getTeamChicago(baseUrl, "binary")),
    await check("GetTeam Chicago, text gRPC-Web", () => getTeamChicago(baseUrl, "text")),
    await check("ListTeams streams every team", () => listTeams(baseUrl, 0)),
    await check("ListTeams stops at its limit", () => listTeams(baseUrl, 2)),
    await check("a blank city is INVALID_ARGUMENT with details", () => blankCity(baseUrl)),
    await check("grpc.health.v1 through gRPC-Web", () => healthCheck(baseUrl)),
    await check("CORS preflight allows the grpc-web headers", () => corsPreflight(baseUrl, origin)),
    await check("CORS answers expose the grpc-* headers", () => corsExposed(baseUrl, origin)),
  ];
  if (options.checkPage) checks.push(await check("the page is served at /", () => page(baseUrl)));
  return checks;
}

/** `count` GetTeam calls, one after another, so a balancer spreads them over replicas. */
export async function repeatGetTeam(baseUrl: string, count: number): Promise<void> {
  for (let index = 0; index < count; index++) await getTeamChicago(baseUrl, "binary");
}
