// `npm start`: the whole stack in one command. Builds the page if needed, starts the
// gRPC server (child process) and the gateway (in this process), prints the URL,
// and stops both on Ctrl-C or SIGTERM.
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import net from "node:net";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { gatewayOptionsFromEnv, parsePort } from "./config.ts";
import { defaultWebRoot, type Gateway, startGateway } from "./gateway.ts";
import { portAccepts } from "./port-accepts.ts";

const repo = fileURLToPath(new URL("../../", import.meta.url));
const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const serverReadyTimeoutMs = 60_000;

class StackError extends Error {}

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** Fails with a message naming the variable when something already listens on the port. */
async function ensurePortFree(port: number, host: string, variable: string): Promise<void> {
  if (port === 0) return;
  const probe = net.createServer();
  try {
    probe.listen(port, host);
    await once(probe, "listening");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new StackError(
      code === "EADDRINUSE"
        ? `port ${port} is taken (${variable}); stop what uses it or set ${variable} to another port`
        : `cannot listen on ${host}:${port} (${variable}): ${(error as Error).message}`,
    );
  } finally {
    probe.close();
  }
}

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  let newest = stats.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** Builds web/dist when it is missing or older than web/src; says why when it cannot. */
async function buildPageIfNeeded(): Promise<void> {
  const web = join(repo, "web");
  const manifest = join(web, "package.json");
  const scripts = existsSync(manifest)
    ? ((JSON.parse(readFileSync(manifest, "utf8")) as { scripts?: Record<string, string> })
        .scripts ?? {})
    : {};
  if (!scripts.build) {
    say(
      "web/ has no build script yet: the page will show a 'not built' notice; gRPC-Web calls work.",
    );
    return;
  }
  const index = join(defaultWebRoot, "index.html");
  const builtAt = existsSync(index) ? statSync(index).mtimeMs : 0;
  const sources = Math.max(
    newestMtime(join(web, "src")),
    newestMtime(join(web, "index.html")),
    newestMtime(join(web, "vite.config.ts")),
  );
  if (builtAt > 0 && builtAt >= sources) return;
  say(
    builtAt === 0
      ? "building the page… (web/dist is missing)"
      : "building the page… (web/src changed)",
  );
  const build = spawn(npm, ["run", "build", "-w", "web"], { cwd: repo, stdio: "inherit" });
  const [code] = (await once(build, "exit")) as [number | null];
  if (code !== 0)
    throw new StackError(`npm run build -w web failed (exit ${code}); see its output above`);
}

/** Starts `npm run start -w server` in its own process group; resolves once it logs "listening". */
async function startServerProcess(grpcPort: number): Promise<ChildProcess> {
  const child = spawn(npm, ["run", "--silent", "start", "-w", "server"], {
    cwd: repo,
    // TLS_CERT/TLS_KEY are the gateway's: the server is reached on loopback, in plaintext.
    env: {
      ...process.env,
      TLS_CERT: undefined,
      TLS_KEY: undefined,
      GRPC_PORT: String(grpcPort),
      HOST: "127.0.0.1",
    },
    stdio: ["ignore", "pipe", "inherit"],
    detached: true, // its own group, so stopping it reaches npm, tsx and node alike
  });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(
          new StackError(
            `the server did not log "listening" within ${serverReadyTimeoutMs / 1000} s`,
          ),
        ),
      serverReadyTimeoutMs,
    );
    // Ready at its "listening" line, or when the port accepts connections (the line
    // is not logged under LOG_LEVEL=warn).
    const poll = setInterval(() => {
      void portAccepts(grpcPort).then((accepts) => {
        if (accepts) done();
      });
    }, 200);
    const done = (): void => {
      clearTimeout(timer);
      clearInterval(poll);
      resolve();
    };
    lines.on("line", (line) => {
      say(line);
      if (isListeningLine(line)) done();
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      clearInterval(poll);
      reject(
        new StackError(
          `the server exited (code ${code}) before it was listening; see its output above`,
        ),
      );
    });
  });
  try {
    await ready;
  } catch (error) {
    await stopProcessGroup(child);
    throw error;
  }
  return child;
}

function isListeningLine(line: string): boolean {
  try {
    return (JSON.parse(line) as { msg?: unknown }).msg === "listening";
  } catch {
    return false;
  }
}

/** SIGTERM to the whole group; SIGKILL if it is still there after the server's drain time. */
async function stopProcessGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = once(child, "exit");
  try {
    process.kill(-child.pid, "SIGTERM");
  } catch {
    return; // already gone
  }
  const timer = setTimeout(() => {
    try {
      process.kill(-(child.pid as number), "SIGKILL");
    } catch {}
  }, 12_000);
  await exited;
  clearTimeout(timer);
}

async function main(): Promise<void> {
  const { upstreamTls, ...options } = gatewayOptionsFromEnv();
  if (upstreamTls) say("UPSTREAM_TLS is ignored: npm start calls its own server in plaintext");
  const grpcPort = parsePort("GRPC_PORT", process.env.GRPC_PORT ?? "50051");
  await ensurePortFree(options.port ?? 8080, options.host ?? "0.0.0.0", "PORT");
  await ensurePortFree(grpcPort, "127.0.0.1", "GRPC_PORT");
  if (process.env.SKIP_WEB_BUILD === "1" || process.env.WEB_ROOT) {
    say("skipping the page build (SKIP_WEB_BUILD=1 or WEB_ROOT set)");
  } else {
    await buildPageIfNeeded();
  }

  const server = await startServerProcess(grpcPort);
  let gateway: Gateway;
  try {
    gateway = await startGateway({ ...options, upstream: `127.0.0.1:${grpcPort}` });
  } catch (error) {
    await stopProcessGroup(server);
    throw error;
  }

  let stopping = false;
  const stop = async (code: number): Promise<void> => {
    if (stopping) return;
    stopping = true;
    say("stopping…");
    // A signal lets calls in flight finish (DRAIN_TIMEOUT_MS); a dead server leaves nothing to wait for.
    await (code === 0 ? gateway.drain() : gateway.close());
    await stopProcessGroup(server);
    process.exit(code);
  };
  server.once("exit", (exitCode) => {
    if (stopping) return;
    process.stderr.write(
      `the server exited unexpectedly (code ${exitCode}); stopping the gateway\n`,
    );
    void stop(1);
  });
  process.on("SIGINT", () => void stop(0));
  process.on("SIGTERM", () => void stop(0));
  say(`Teams is up: ${gateway.url.replace("127.0.0.1", "localhost")}`);
}

main().catch((error: unknown) => {
  const err = error as NodeJS.ErrnoException;
  const message =
    err.code === "EADDRINUSE" ? `port taken: ${err.message}` : (err.message ?? String(error));
  process.stderr.write(`npm start: ${message}\n`);
  process.exit(1);
});
