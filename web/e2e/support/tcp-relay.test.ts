// The relay the e2e stack puts in front of the server: bytes pass both ways, a stopped
// target reads as a reset connection, and a new target takes over on the same relay port.
import assert from "node:assert/strict";
import { once } from "node:events";
import { connect, createServer, type Server } from "node:net";
import { after, describe, it } from "node:test";
import { startTcpRelay, type TcpRelay } from "./tcp-relay.ts";

const servers: Server[] = [];
let relay: TcpRelay | undefined;
after(async () => {
  await relay?.close();
  for (const server of servers) server.close();
});

/** A loopback server on port 0 that answers each chunk with `name:chunk`. */
async function namedEcho(name: string): Promise<number> {
  const server = createServer((socket) => socket.on("data", (d) => socket.write(`${name}:${d}`)));
  servers.push(server);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return (server.address() as { port: number }).port;
}

/** Sends `text` through the relay; resolves with the answer or the socket error's code. */
async function exchange(port: number, text: string): Promise<string> {
  const socket = connect(port, "127.0.0.1");
  socket.write(text);
  return new Promise((resolve) => {
    socket.once("data", (data) => {
      resolve(String(data));
      socket.destroy();
    });
    socket.once("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? "error"));
  });
}

describe("startTcpRelay", () => {
  it("relays to its target, resets while it has none, and follows a new one", async () => {
    relay = await startTcpRelay(await namedEcho("first"));
    assert.equal(await exchange(relay.port, "hi"), "first:hi");
    relay.target = undefined;
    assert.equal(await exchange(relay.port, "hi"), "ECONNRESET");
    relay.target = await namedEcho("second");
    assert.equal(await exchange(relay.port, "hi"), "second:hi");
  });
});
