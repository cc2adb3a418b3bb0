// Whether the gateway routes calls to a server: one gRPC-Web health check through it, as a
// page would send it. After a server restart the gateway's pool takes the server back at its
// next health check (every 5 s); a write sent before then fails UNAVAILABLE, as through Envoy.

/** HealthCheckRequest { service: "Teams" } in one gRPC-Web frame. */
const checkTeams = Buffer.concat([
  Buffer.from([0, 0, 0, 0, 7, 0x0a, 5]),
  Buffer.from("Teams", "latin1"),
]);

/** True when a Health/Check for "Teams" through the gateway at `url` ends with status 0. */
export async function gatewayRoutes(url: string): Promise<boolean> {
  const response = await fetch(`${url}/grpc.health.v1.Health/Check`, {
    method: "POST",
    headers: { "content-type": "application/grpc-web+proto", "x-grpc-web": "1" },
    body: checkTeams,
  });
  const body = Buffer.from(await response.arrayBuffer()).toString("latin1");
  const status = response.headers.get("grpc-status") ?? /grpc-status:\s*(\d+)/.exec(body)?.[1];
  return response.ok && status === "0";
}
