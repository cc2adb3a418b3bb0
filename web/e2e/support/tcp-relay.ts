// A TCP relay on a port this process holds for the whole test run, in front of something
// that stops and starts again: the thing behind it binds port 0 each time and the relay is
// pointed at the port it reads back, so nothing can take the address the others use.
// With no target, each connection is reset at once, as a closed port refuses it.
import { once } from "node:events";
import { createConnection, createServer, type Server, type Socket } from "node:net";

export interface TcpRelay {
  /** The loopback port the relay listens on, for as long as it runs. */
  readonly port: number;
  /** Where new connections go (a loopback port), or undefined to refuse them. */
  target: number | undefined;
  close(): Promise<void>;
}

export async function startTcpRelay(target?: number): Promise<TcpRelay> {
  const sockets = new Set<Socket>();
  const track = (socket: Socket): void => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  };
  const relay = {
    port: 0,
    target,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server: Server = createServer((client) => {
    track(client);
    if (relay.target === undefined) {
      client.resetAndDestroy();
      return;
    }
    const upstream = createConnection({ host: "127.0.0.1", port: relay.target });
    track(upstream);
    client.pipe(upstream).pipe(client);
    // A refused or lost upstream is passed on as a reset, as the gateway would see it directly.
    upstream.on("error", () => {
      if (!client.destroyed) client.resetAndDestroy();
    });
    client.on("error", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
    client.on("close", () => upstream.destroy());
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no TCP port assigned");
  relay.port = address.port;
  return relay;
}
