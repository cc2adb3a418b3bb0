import { once } from "node:events";
import net from "node:net";

async function listen(port: number): Promise<net.Server | undefined> {
  const server = net.createServer();
  server.listen(port, "127.0.0.1");
  try {
    await Promise.race([once(server, "listening"), once(server, "error")]);
  } catch {}
  if (server.listening) return server;
  server.close();
  return undefined;
}

/**
 * The first of `count` consecutive loopback ports that are free now (for `GRPC_PORT` with
 * `REPLICAS`, which takes GRPC_PORT, GRPC_PORT+1, …): a port the system hands out for port 0,
 * checked with the ones after it.
 */
export async function freePortRange(count: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const servers: net.Server[] = [];
    const first = await listen(0);
    if (!first) continue;
    servers.push(first);
    const base = (first.address() as net.AddressInfo).port;
    for (let port = base + 1; port < base + count && port <= 65_535; port++) {
      const server = await listen(port);
      if (!server) break;
      servers.push(server);
    }
    await Promise.all(servers.map((server) => new Promise((closed) => server.close(closed))));
    if (servers.length === count) return base;
  }
  throw new Error(`no ${count} consecutive free ports on 127.0.0.1 in 50 tries`);
}
