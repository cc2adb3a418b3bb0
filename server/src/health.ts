import type { Server } from "@grpc/grpc-js";
import { HealthImplementation } from "grpc-health-check";

/** The names health checks may ask about: "" is the whole server, "Teams" the one service. */
export const healthServices = ["", "Teams"] as const;

/**
 * The standard grpc.health.v1.Health service. Everything is SERVING once bound;
 * `notServing()` flips it at shutdown so load balancers stop routing here while
 * in-flight calls drain.
 */
export function addHealth(server: Server): { notServing(): void } {
  const health = new HealthImplementation(
    Object.fromEntries(healthServices.map((name) => [name, "SERVING" as const])),
  );
  health.addToServer(server);
  return {
    notServing() {
      for (const name of healthServices) health.setStatus(name, "NOT_SERVING");
    },
  };
}
