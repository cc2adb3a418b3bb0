// Whether something accepts TCP connections on a loopback port: how `npm start` sees
// that its server is up, and how tests see that a port is closed.
import net from "node:net";

export function portAccepts(port: number, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, host);
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}
