import type { Server } from "@grpc/grpc-js";
import { HealthImplementation } from "grpc-health-check";

/** The names health checks may ask about: "" is the whole server, "Teams" the one service. */
export const healthServices = ["", "Teams"] as const;

export type HealthSwitch = {
  /** Shutdown started: NOT_SERVING for good. */
  notServing(): void;
  /** The database answers (SERVING) or not (NOT_SERVING), unless shutdown has started. */
  setDatabaseReachable(reachable: boolean): void;
};

/**
 * The standard grpc.health.v1.Health service. Everything is SERVING once bound;
 * NOT_SERVING while the database is unreachable, and for good once shutdown starts,
 * so load balancers stop routing here.
 */
export function addHealth(server: Server): HealthSwitch {
  const health = new HealthImplementation(
    Object.fromEntries(healthServices.map((name) => [name, "SERVING" as const])),
  );
  health.addToServer(server);
  let stopping = false;
  const set = (status: "SERVING" | "NOT_SERVING") => {
    for (const name of healthServices) health.setStatus(name, status);
  };
  return {
    notServing() {
      stopping = true;
      set("NOT_SERVING");
    },
    setDatabaseReachable(reachable) {
      if (!stopping) set(reachable ? "SERVING" : "NOT_SERVING");
    },
  };
}
