// docker-compose.yml health checks: each must probe the port its service really listens on.
import { environmentOf } from "./compose-checks.ts";
import type { StackFacts } from "./stack-facts.ts";

function healthCheckText(facts: StackFacts, service: string): string {
  const test = facts.compose.services?.[service]?.healthcheck?.test;
  return Array.isArray(test) ? test.join(" ") : (test ?? "");
}

/** Each container health check must probe the port its service really listens on. */
export function checkHealthCheckPorts(facts: StackFacts): string[] {
  const problems: string[] = [];
  const adminPort = facts.envoy.admin?.address?.socket_address?.port_value;
  if (!healthCheckText(facts, "envoy").includes(`127.0.0.1/${adminPort}`)) {
    problems.push(
      `docker-compose.yml envoy healthcheck: must ask the admin port 127.0.0.1:${adminPort} for /ready`,
    );
  }
  if (!healthCheckText(facts, "web").includes(`127.0.0.1:${facts.webPort}/`)) {
    problems.push(
      `docker-compose.yml web healthcheck: must fetch http://127.0.0.1:${facts.webPort}/ (web/nginx.conf listen)`,
    );
  }
  const grpcPort = environmentOf(facts.compose.services?.server ?? {}).GRPC_PORT ?? "50051";
  if (!healthCheckText(facts, "server").includes(`127.0.0.1:${grpcPort}`)) {
    problems.push(
      `docker-compose.yml server healthcheck: must probe 127.0.0.1:${grpcPort} (GRPC_PORT)`,
    );
  }
  return problems;
}
