// `npm start`: the whole stack in one command. Builds the page if needed, starts REPLICAS
// gRPC servers (child processes, restarted with backoff if they exit on their own) and
// the gateway in front of them (in this process), prints the URL, and stops all on
// Ctrl-C or SIGTERM, or when the process that started it is gone.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import net from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gatewayOptionsFromEnv, parsePort } from "./config.ts";
import { defaultWebRoot, type Gateway, startGateway } from "./gateway.ts";
import {
  createLogger,
  defaultLogFormat,
  type LogFormat,
  type Logger,
  parseLogFormat,
} from "./logger.ts";
import { metricsLine, stackMetrics } from "./stack-metrics.ts";
import { SupervisedServer } from "./supervised-server.ts";
import { loadGatewayTracing } from "./tracing/gateway-tracing.ts";

const repo = fileURLToPath(new URL("../../", import.meta.url));
const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const maxReplicas = 32;

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

/** REPLICAS: how many servers to start on GRPC_PORT, GRPC_PORT+1, … (default 1). */
export function parseReplicas(value: string | undefined): number {
  const raw = value?.trim() || "1";
  const count = Number(raw);
  if (!/^\d+$/.test(raw) || count < 1 || count > maxReplicas)
    throw new StackError(`REPLICAS must be a whole number from 1 to ${maxReplicas}, got "${raw}"`);
  return count;
}

/**
 * What to do with each line a server writes: JSON output passes it on as it is; in a
 * terminal it becomes one readable line, and the server's per-call lines at info are
 * left out because the gateway already logs each call (one line per call, not two).
 */
function serverLogPrinter(logger: Logger, format: LogFormat, port: number) {
  return (line: string): void => {
    const entry = format === "pretty" ? parseJson(line) : undefined;
    if (!entry) {
      say(line);
      return;
    }
    const { level, msg, time: _time, ...fields } = entry;
    if (msg === "call" && level === "info") return;
    const at = level === "warn" || level === "error" || level === "debug" ? level : "info";
    logger[at](String(msg), { server: port, ...fields });
  };
}

function parseJson(line: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** Calls `stop` when this process's parent changes: `npm start` was killed (even SIGKILL). */
function stopWhenOrphaned(stop: () => void): void {
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) stop();
  }, 500).unref();
}

async function main(): Promise<void> {
  const { upstreamTls, ...options } = gatewayOptionsFromEnv();
  parseLogFormat(process.env.LOG_FORMAT); // a typo fails here, not silently
  if (upstreamTls) say("UPSTREAM_TLS is ignored: npm start calls its own server in plaintext");
  const grpcPort = parsePort("GRPC_PORT", process.env.GRPC_PORT ?? "50051");
  const replicas = parseReplicas(process.env.REPLICAS);
  const ports = Array.from({ length: replicas }, (_, index) => grpcPort + index);
  if (grpcPort === 0 && replicas > 1) throw new StackError("REPLICAS > 1 needs a GRPC_PORT, not 0");
  if (grpcPort + replicas - 1 > 65_535)
    throw new StackError(
      `GRPC_PORT + REPLICAS - 1 must be at most 65535, got ${grpcPort + replicas - 1}`,
    );
  await ensurePortFree(options.port ?? 8080, options.host ?? "0.0.0.0", "PORT");
  for (const port of ports) await ensurePortFree(port, "127.0.0.1", "GRPC_PORT");
  if (process.env.SKIP_WEB_BUILD === "1" || process.env.WEB_ROOT) {
    say("skipping the page build (SKIP_WEB_BUILD=1 or WEB_ROOT set)");
  } else {
    await buildPageIfNeeded();
  }

  const logger = createLogger(options.logLevel ?? "info");
  const format = defaultLogFormat();
  // TLS_CERT/TLS_KEY are the gateway's: the servers are reached on loopback, in plaintext.
  // Everything else (DATA_DIR, DATABASE_URL, LOG_LEVEL…) passes through: replicas share it.
  const env = { ...process.env, TLS_CERT: undefined, TLS_KEY: undefined };
  const metrics = await stackMetrics(process.env, replicas);
  const servers = ports.map(
    (port, index) =>
      new SupervisedServer({
        repo,
        port,
        env: { ...env, ...metrics.servers[index] },
        logger,
        onLogLine: serverLogPrinter(logger, format, port),
      }),
  );
  const stopServers = () => Promise.all(servers.map((server) => server.stop()));
  let gateway: Gateway;
  try {
    await Promise.all(servers.map((server) => server.start()));
    const upstream = ports.map((port) => `127.0.0.1:${port}`).join(",");
    const tracing = await loadGatewayTracing(upstream);
    gateway = await startGateway({ ...options, upstream, metrics: metrics.gateway, tracing });
  } catch (error) {
    await stopServers();
    throw error;
  }

  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return; // Ctrl-C reaches us twice: from the terminal and from npm
    stopping = true;
    say("stopping…");
    await gateway.drain(); // calls in flight finish (DRAIN_TIMEOUT_MS), then the servers drain
    await stopServers();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());
  process.on("SIGHUP", () => void stop()); // the terminal was closed
  stopWhenOrphaned(() => void stop());
  say(`Teams is up: ${gateway.url.replace("127.0.0.1", "localhost")}`);
  if (gateway.metrics) {
    const serverPorts = metrics.servers.map((server) => server.METRICS_PORT);
    say(metricsLine(gateway.metrics.url, serverPorts, gateway.metrics.host));
  }
}

main().catch((error: unknown) => {
  const err = error as NodeJS.ErrnoException;
  const message =
    err.code === "EADDRINUSE" ? `port taken: ${err.message}` : (err.message ?? String(error));
  process.stderr.write(`npm start: ${message}\n`);
  process.exit(1);
});
