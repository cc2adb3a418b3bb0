// A Logger that keeps every line in memory, so tests can read what the gateway logged.
import type { LogFields, Logger } from "../../src/logger.ts";

export interface LogLine {
  readonly level: "debug" | "info" | "warn" | "error";
  readonly msg: string;
  readonly fields: LogFields;
}

export interface RecordingLogger extends Logger {
  readonly lines: LogLine[];
}

/** `fault(line)` may throw, to inject a failure at the moment the gateway logs that line. */
export function recordingLogger(fault?: (line: LogLine) => void): RecordingLogger {
  const lines: LogLine[] = [];
  const at =
    (level: LogLine["level"]) =>
    (msg: string, fields: LogFields = {}): void => {
      const line = { level, msg, fields };
      lines.push(line);
      fault?.(line);
    };
  return { lines, debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}
