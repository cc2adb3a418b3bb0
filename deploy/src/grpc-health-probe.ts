// The server container's health check: asks grpc.health.v1.Health/Check over real gRPC, like
// grpc_health_probe (whose binary cannot be downloaded here). Runs inside the server image:
//   node --import tsx deploy/grpc-health-probe.ts [host:port] [service]
// Exit 0 when SERVING; 1 otherwise, with the reason on stderr for `docker inspect`.
import { pathToFileURL } from "node:url";
import { credentials, makeGenericClientConstructor, type ServiceError } from "@grpc/grpc-js";
import { service as healthService } from "grpc-health-check";

export interface HealthProbeResult {
  serving: boolean;
  /** "SERVING", "NOT_SERVING", or the gRPC error, e.g. "14 UNAVAILABLE: No connection established". */
  detail: string;
}

type CheckMethod = (
  request: { service: string },
  options: { deadline: Date },
  callback: (error: ServiceError | null, response?: { status?: string }) => void,
) => void;

// biome-ignore lint/style/useNamingConvention: a client class, named as grpc-js names them
const HealthClient = makeGenericClientConstructor(healthService, "grpc.health.v1.Health");

/** One Check call with a deadline; never throws. */
export function probeHealth(
  target: string,
  service: string,
  timeoutMs = 2000,
): Promise<HealthProbeResult> {
  const client = new HealthClient(target, credentials.createInsecure());
  const deadline = new Date(Date.now() + timeoutMs);
  const check = client.Check as CheckMethod;
  return new Promise((resolve) => {
    check.call(client, { service }, { deadline }, (error, response) => {
      client.close();
      if (error) resolve({ serving: false, detail: error.message });
      else
        resolve({ serving: response?.status === "SERVING", detail: response?.status ?? "UNKNOWN" });
    });
  });
}

async function main(): Promise<void> {
  const target = process.argv[2] ?? `127.0.0.1:${process.env.GRPC_PORT ?? "50051"}`;
  const service = process.argv[3] ?? "Teams";
  const { serving, detail } = await probeHealth(target, service);
  const line = `health of "${service}" at ${target}: ${detail}`;
  if (serving) console.log(line);
  else console.error(line);
  process.exitCode = serving ? 0 : 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
