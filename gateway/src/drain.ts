// Graceful stop: what the gateway waits for between refusing new work and cutting the rest.
import { EventEmitter, once } from "node:events";
import type net from "node:net";

/**
 * How long, from the start of a drain, an idle kept-alive HTTP/1.1 connection is left
 * open: a client sending on it meanwhile gets its answer (with Connection: close) instead
 * of a reset. Closing idle connections at once reset requests already on the wire.
 */
export const idleConnectionGraceMs = 1000;

/** Counts a server's open connections and gRPC-Web calls, and waits for them to end. */
export class DrainTracker {
  #calls = 0;
  #connections = 0;
  readonly #events = new EventEmitter();

  constructor(server: net.Server) {
    server.on("connection", (socket: net.Socket) => {
      this.#connections += 1;
      socket.once("close", () => {
        this.#connections -= 1;
        if (this.#connections === 0) this.#events.emit("connections");
      });
    });
  }

  get calls(): number {
    return this.#calls;
  }

  callStarted(): void {
    this.#calls += 1;
  }

  callEnded(): void {
    this.#calls -= 1;
    if (this.#calls === 0) this.#events.emit("calls");
  }

  /** Resolves once no call is in progress, or after `ms`. */
  callsDone(ms: number): Promise<void> {
    return this.#until("calls", () => this.#calls === 0, ms);
  }

  /** Resolves once every connection has closed, or after `ms`. */
  connectionsClosed(ms: number): Promise<void> {
    return this.#until("connections", () => this.#connections === 0, ms);
  }

  async #until(event: string, done: () => boolean, ms: number): Promise<void> {
    if (done() || ms <= 0) return;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), ms);
    try {
      await once(this.#events, event, { signal: controller.signal });
    } catch {
      // timed out
    } finally {
      clearTimeout(timer);
    }
  }
}
