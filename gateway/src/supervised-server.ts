// One gRPC server child process of `npm start`, kept running: started, watched, restarted
// with backoff when it exits without being asked (even with code 0), and stopped on request.
// The child gets an IPC channel: when this process dies however it dies (SIGKILL too),
// the channel closes and the server drains and exits (server/src/main.ts).
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import type { Logger } from "./logger.ts";
import { portAccepts } from "./port-accepts.ts";

export class ServerStartError extends Error {}

export type SupervisedServerOptions = {
  /** The repository root (server/ is found under it). */
  readonly repo: string;
  readonly port: number;
  /** The child's environment, before GRPC_PORT, HOST and LOG_FORMAT are set. */
  readonly env: NodeJS.ProcessEnv;
  readonly logger: Logger;
  /** Each line the server writes to stdout (JSON: the stack sets LOG_FORMAT=json). */
  readonly onLogLine: (line: string) => void;
  readonly readyTimeoutMs?: number;
  /** First restart delay; doubles per quick failure up to maxBackoffMs. */
  readonly backoffMs?: number;
  readonly maxBackoffMs?: number;
  /** A run at least this long resets the backoff to backoffMs. */
  readonly stableAfterMs?: number;
};

/**
 * The command that runs the server: the compiled server/dist/main.js under
 * NODE_ENV=production when it is built, else the TypeScript through tsx (no build step).
 */
export function serverCommand(repo: string, env: NodeJS.ProcessEnv = process.env): string[] {
  const built = join(repo, "server/dist/main.js");
  if (env.NODE_ENV === "production" && existsSync(built)) return [built];
  return ["--import", "tsx", join(repo, "server/src/main.ts")];
}

export class SupervisedServer {
  readonly #options: SupervisedServerOptions;
  #child: ChildProcess | undefined;
  #stopping = false;
  #restarts = 0;
  #backoffMs: number;
  #restartTimer: NodeJS.Timeout | undefined;
  #metrics: { port: number; host: string } | null | undefined;
  #metricsKnown: Array<() => void> = [];

  constructor(options: SupervisedServerOptions) {
    this.#options = options;
    this.#backoffMs = options.backoffMs ?? 250;
  }

  get port(): number {
    return this.#options.port;
  }

  /** The running child's pid, if any (tests kill it to see the restart). */
  get pid(): number | undefined {
    return this.#child?.pid;
  }

  /**
   * Where the running server's GET /metrics answers (it tells us over IPC once started), or
   * undefined with metrics off; waits up to `waitMs` for a server still starting.
   */
  async metricsUrl(waitMs = 10_000): Promise<string | undefined> {
    if (this.#metrics === undefined) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, waitMs);
        this.#metricsKnown.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    const metrics = this.#metrics;
    if (!metrics) return undefined;
    const host = metrics.host.includes(":") ? `[${metrics.host}]` : metrics.host;
    return `http://${host}:${metrics.port}/metrics`;
  }

  /** Starts the server; resolves once it listens. A first start that fails is fatal. */
  async start(): Promise<void> {
    await this.#spawn();
  }

  /** SIGTERM (the server drains), SIGKILL if still there after its drain time; no restart. */
  async stop(): Promise<void> {
    this.#stopping = true;
    clearTimeout(this.#restartTimer);
    const child = this.#child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, "exit");
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 12_000);
    await exited;
    clearTimeout(timer);
  }

  async #spawn(): Promise<void> {
    const { repo, port, env, onLogLine } = this.#options;
    const child = spawn(process.execPath, serverCommand(repo, env), {
      cwd: join(repo, "server"),
      env: { ...env, GRPC_PORT: String(port), HOST: "127.0.0.1", LOG_FORMAT: "json" },
      // stdin ignored; stdout parsed here; stderr shown as is; IPC so it sees us die.
      stdio: ["ignore", "pipe", "inherit", "ipc"],
      // Its own process group: Ctrl-C reaches the stack only, which stops the gateway
      // first and then its servers, in that order.
      detached: true,
    });
    this.#child = child;
    child.on("message", (message: { metrics?: { port: number; host: string } | null }) => {
      if (message?.metrics === undefined) return;
      this.#metrics = message.metrics;
      for (const known of this.#metricsKnown.splice(0)) known();
    });
    const startedAt = Date.now();
    let ready = false;
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    const listening = new Promise<void>((resolve, reject) => {
      const timeoutMs = this.#options.readyTimeoutMs ?? 60_000;
      const timer = setTimeout(() => {
        reject(new ServerStartError(`the server did not listen within ${timeoutMs / 1000} s`));
        child.kill("SIGKILL");
      }, timeoutMs);
      // Ready at its "listening" line, or when the port accepts connections (the line
      // is not logged under LOG_LEVEL=warn).
      const poll = setInterval(() => {
        void portAccepts(port).then((accepts) => accepts && done());
      }, 200);
      const done = (): void => {
        ready = true;
        clearTimeout(timer);
        clearInterval(poll);
        resolve();
      };
      lines.on("line", (line) => {
        onLogLine(line);
        if (!ready && isListeningLine(line)) done();
      });
      child.once("exit", (code, signal) => {
        clearTimeout(timer);
        clearInterval(poll);
        if (!ready)
          reject(
            new ServerStartError(
              `the server on port ${port} exited (${signal ?? `code ${code}`}) before it was listening; see its output above`,
            ),
          );
        this.#exited(code, signal, Date.now() - startedAt, ready);
      });
    });
    await listening;
  }

  /** Restarts a server that exited on its own; the first start's failure is the caller's. */
  #exited(code: number | null, signal: string | null, ranMs: number, wasReady: boolean): void {
    if (this.#stopping || (!wasReady && this.#restarts === 0)) return;
    const stableAfterMs = this.#options.stableAfterMs ?? 10_000;
    if (ranMs >= stableAfterMs) this.#backoffMs = this.#options.backoffMs ?? 250;
    const delayMs = this.#backoffMs;
    this.#backoffMs = Math.min(delayMs * 2, this.#options.maxBackoffMs ?? 10_000);
    this.#restarts++;
    this.#options.logger.warn("server exited; restarting", {
      port: this.port,
      exit: signal ?? code,
      restart: this.#restarts,
      inMs: delayMs,
    });
    this.#restartTimer = setTimeout(() => {
      this.#spawn().catch(() => {}); // its exit is handled above: another restart
    }, delayMs);
  }
}

function isListeningLine(line: string): boolean {
  try {
    return (JSON.parse(line) as { msg?: unknown }).msg === "listening";
  } catch {
    return false;
  }
}
