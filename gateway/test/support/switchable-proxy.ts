// A TCP proxy on its own port 0 whose target can be switched: a "server restart" behind a
// gateway becomes a new server on a fresh port, so no test rebinds a port another process
// may have taken meanwhile.
import { once } from "node:events";
import net, { type AddressInfo } from "node:net";

export interface SwitchableProxy {
  /** 127.0.0.1:port, for the gateway's upstream. */
  readonly address: string;
  /** New connections go to this port from now on. */
  target: number;
  close(): Promise<void>;
}

export async function startSwitchableProxy(target: number): Promise<SwitchableProxy> {
  const sockets = new Set<net.Socket>();
  const proxy = {
    address: "",
    target,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = net.createServer((client) => {
    const upstream = net.connect(proxy.target, "127.0.0.1");
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("error", () => {});
      socket.once("close", () => {
        sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  proxy.address = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return proxy;
}
