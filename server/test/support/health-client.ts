import { type Client, credentials, makeClientConstructor, type ServiceError } from "@grpc/grpc-js";
import { service as healthService } from "grpc-health-check";

type HealthClient = Client & {
  check(
    request: { service: string },
    callback: (error: ServiceError | null, response?: { status: string }) => void,
  ): void;
  watch(request: { service: string }): NodeJS.ReadableStream & { cancel(): void };
};

/** A grpc.health.v1.Health client built from grpc-health-check's own service definition. */
export function healthClient(port: number): HealthClient {
  const Health = makeClientConstructor(healthService as never, "grpc.health.v1.Health");
  return new Health(`127.0.0.1:${port}`, credentials.createInsecure()) as unknown as HealthClient;
}

/** The status name ("SERVING", ...) that Check answers for `service`. */
export function checkHealth(client: HealthClient, service: string): Promise<string> {
  return new Promise((resolve, reject) => {
    client.check({ service }, (error, response) => {
      if (error || !response) reject(error);
      else resolve(response.status);
    });
  });
}
