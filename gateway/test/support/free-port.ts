// Ports for tests that run in parallel with other test files.
import { once } from "node:events";
import { readFileSync } from "node:fs";
import net, { type AddressInfo } from "node:net";
import { portAccepts } from "../../src/port-accepts.ts";

/** A port nothing listens on right now (the OS picks it; released before use). */
export async function freePort(): Promise<number> {
  const probe = net.createServer().listen(0, "127.0.0.1");
  await once(probe, "listening");
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/**
 * A port that refuses connections and stays that way: below the OS's ephemeral range,
 * so no parallel test listening on port 0 can be handed it (a port from freePort() can
 * be, between its release and the connection that expects a refusal).
 */
export async function refusingPort(): Promise<number> {
  const [ephemeralStart = 32768] = readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8")
    .trim()
    .split(/\s+/)
    .map(Number);
  for (let port = ephemeralStart - 1; port > 1024; port--) {
    if (!(await portAccepts(port))) return port;
  }
  throw new Error("no port below the ephemeral range refuses connections");
}
