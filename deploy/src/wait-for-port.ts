// Waits until a process listens: polls a loopback port until it accepts a connection, and
// gives up as soon as the process exits.
import { connect } from "node:net";

export function portAccepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** Resolves once `port` accepts a connection; throws `whenGone()` if `exited` settles first. */
export async function waitForPort(
  port: number,
  exited: Promise<unknown>,
  whenGone: () => Error,
): Promise<void> {
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  while (!(await portAccepts(port))) {
    if (gone) throw whenGone();
    await new Promise((resolve) => setImmediate(resolve));
  }
}
