/** How much the server logs; `silent` is for tests and embedding. */
export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";

export const logLevels: readonly LogLevel[] = ["debug", "info", "warn", "error", "silent"];
const rank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

type Fields = Record<string, unknown>;

/**
 * One JSON object per line on stdout, the shape log collectors parse without
 * configuration: `{"time":...,"level":"info","msg":"listening","port":50051}`.
 */
export class Logger {
  constructor(
    readonly level: LogLevel = "info",
    private readonly write: (line: string) => void = (line) => process.stdout.write(line),
  ) {}

  debug(msg: string, fields?: Fields): void {
    this.log("debug", msg, fields);
  }
  info(msg: string, fields?: Fields): void {
    this.log("info", msg, fields);
  }
  warn(msg: string, fields?: Fields): void {
    this.log("warn", msg, fields);
  }
  error(msg: string, fields?: Fields): void {
    this.log("error", msg, fields);
  }

  log(level: Exclude<LogLevel, "silent">, msg: string, fields: Fields = {}): void {
    if (rank[level] < rank[this.level]) return;
    const line = { level, msg, ...fields, time: new Date().toISOString() };
    this.write(`${JSON.stringify(line)}\n`);
  }
}
