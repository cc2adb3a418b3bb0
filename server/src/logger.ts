// Logging through pino: one JSON object per line when stdout is not a terminal (or
// LOG_FORMAT=json), the shape log collectors parse without configuration:
// `{"level":"info","time":"2026-…","msg":"listening","port":50051}`; in a terminal one
// short readable line per entry (pino-pretty): `12:34:56 INFO listening port=50051`.
import pino from "pino";
import pretty from "pino-pretty";

/** How much the server logs; `silent` is for tests and embedding. */
export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";
export const logLevels: readonly LogLevel[] = ["debug", "info", "warn", "error", "silent"];

export type LogFormat = "json" | "pretty";
export const logFormats: readonly LogFormat[] = ["json", "pretty"];

export type LogFields = Record<string, unknown>;

/**
 * Keys whose values never reach a log line, however deep a caller nests them: credentials
 * sent as metadata (`authorization`) and any token a handler might put in its fields.
 */
export const redactedKeys = ["authorization", "cookie", "token", "accessToken", "idToken"];

/** LOG_FORMAT when set, else pretty in a terminal and JSON everywhere else. */
export function defaultLogFormat(env = process.env, tty = process.stdout.isTTY): LogFormat {
  const raw = env.LOG_FORMAT?.trim().toLowerCase();
  if (raw === "json" || raw === "pretty") return raw;
  return tty ? "pretty" : "json";
}

/** `msg key=value …` on one line: the readable form, fields included, no JSON braces. */
export function readableLine(log: Record<string, unknown>, messageKey: string): string {
  const skip = new Set([messageKey, "level", "time", "pid", "hostname"]);
  const fields = Object.entries(log)
    .filter(([key]) => !skip.has(key))
    .map(([key, value]) => `${key}=${typeof value === "string" ? value : JSON.stringify(value)}`);
  return [String(log[messageKey] ?? ""), ...fields].join(" ");
}

/** The pino logger the Logger below wraps; `write` receives each JSON line (tests). */
export function createPino(
  level: LogLevel,
  format: LogFormat,
  write?: (line: string) => void,
): pino.Logger {
  const options: pino.LoggerOptions = {
    level,
    base: undefined, // no pid/hostname: one process per container, the collector adds the rest
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: redactedKeys.flatMap((key) => [key, `*.${key}`]), censor: "[redacted]" },
  };
  if (write) return pino(options, { write });
  if (format === "json") return pino(options, pino.destination({ fd: 1, sync: true }));
  const stream = pretty({
    sync: true,
    colorize: true,
    translateTime: "SYS:HH:MM:ss",
    hideObject: true,
    messageFormat: readableLine,
  });
  return pino(options, stream);
}

/** The call-site interface every part of the server uses: `info(msg, fields)`. */
export class Logger {
  readonly #pino: pino.Logger;

  constructor(
    readonly level: LogLevel = "info",
    write?: (line: string) => void,
    format: LogFormat = defaultLogFormat(),
  ) {
    this.#pino = createPino(level, format, write);
  }

  debug(msg: string, fields?: LogFields): void {
    this.log("debug", msg, fields);
  }
  info(msg: string, fields?: LogFields): void {
    this.log("info", msg, fields);
  }
  warn(msg: string, fields?: LogFields): void {
    this.log("warn", msg, fields);
  }
  error(msg: string, fields?: LogFields): void {
    this.log("error", msg, fields);
  }

  /** Whether a line at `level` would be written (so a caller can skip building its fields). */
  isEnabled(level: Exclude<LogLevel, "silent">): boolean {
    return this.#pino.isLevelEnabled(level);
  }

  log(level: Exclude<LogLevel, "silent">, msg: string, fields: LogFields = {}): void {
    this.#pino[level](fields, msg);
  }
}
