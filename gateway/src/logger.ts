// The gateway logs through the same pino setup as the server (@teams/server/logger): JSON
// lines when stdout is not a terminal or LOG_FORMAT=json, one readable line in a terminal.
import { createPino, defaultLogFormat, type LogFields, type LogFormat } from "@teams/server/logger";

export { defaultLogFormat, type LogFields, type LogFormat };

export const logLevels = ["debug", "info", "warn", "error", "silent"] as const;
export type LogLevel = (typeof logLevels)[number];

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** False when entries at `level` are dropped, so per-call fields need not be built. */
  isLevelEnabled?(level: Exclude<LogLevel, "silent">): boolean;
}

/** Checks LOG_LEVEL-style input. */
export function parseLogLevel(value: string): LogLevel {
  const level = value.trim().toLowerCase();
  if ((logLevels as readonly string[]).includes(level)) return level as LogLevel;
  throw new Error(
    `LOG_LEVEL: expected one of ${logLevels.join(", ")}, got ${JSON.stringify(value)}`,
  );
}

/** Checks LOG_FORMAT: unset or empty means "pretty in a terminal, else JSON". */
export function parseLogFormat(value: string | undefined): LogFormat | undefined {
  const format = value?.trim().toLowerCase();
  if (!format) return undefined;
  if (format === "json" || format === "pretty") return format;
  throw new Error(`LOG_FORMAT: expected json or pretty, got ${JSON.stringify(value)}`);
}

/**
 * A logger writing entries at `level` and above: to `write` (one JSON line each, without
 * the newline; for tests) or to stdout in `format`.
 */
export function createLogger(
  level: LogLevel = "info",
  write?: (line: string) => void,
  format: LogFormat = defaultLogFormat(),
): Logger {
  const logger = createPino(level, format, write && ((line) => write(line.trimEnd())));
  return {
    debug: (msg, fields = {}) => logger.debug(fields, msg),
    info: (msg, fields = {}) => logger.info(fields, msg),
    warn: (msg, fields = {}) => logger.warn(fields, msg),
    error: (msg, fields = {}) => logger.error(fields, msg),
    isLevelEnabled: (level) => logger.isLevelEnabled(level),
  };
}
