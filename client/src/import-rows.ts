// The rows of an import file, read as they are sent: a JSON array of
// {"city", "nickname", "if_version"?} (the server's TEAMS_FILE format), or one such
// object a line (NDJSON), which streams a file of any size in constant memory.
import { closeSync, createReadStream, openSync, readFileSync, readSync, statSync } from "node:fs";
import { createInterface } from "node:readline";

export type ImportRow = { city: string; nickname: string; ifVersion?: number };

/** A row and how far through the file it is (0 to 1), for the progress bar. */
export type ReadRow = { row: ImportRow; progress: number };

/** A file that cannot be read as rows; the message gives the file and line. */
export class ImportFileError extends Error {
  override name = "ImportFileError";
}

/** Checks the file can be read now (before any call starts), then reads it row by row. */
export function openImportRows(path: string): AsyncGenerator<ReadRow> | Generator<ReadRow> {
  let size: number;
  let isArray: boolean;
  try {
    size = statSync(path).size;
    isArray = startsWithBracket(path);
  } catch (error) {
    throw new ImportFileError(`cannot read ${path}: ${(error as Error).message}`);
  }
  return isArray ? arrayRows(path) : lineRows(path, size);
}

async function* lineRows(path: string, size: number): AsyncGenerator<ReadRow> {
  let bytes = 0;
  let lineNumber = 0;
  for await (const line of createInterface({
    input: createReadStream(path),
    crlfDelay: Infinity,
  })) {
    lineNumber += 1;
    bytes += Buffer.byteLength(line) + 1;
    if (line.trim() === "") continue;
    yield {
      row: rowOf(parseLine(line, `${path}:${lineNumber}`), `${path}:${lineNumber}`),
      progress: bytes / size,
    };
  }
}

function* arrayRows(path: string): Generator<ReadRow> {
  const entries = parseLine(readFileSync(path, "utf8"), path);
  if (!Array.isArray(entries)) throw new ImportFileError(`${path}: expected a JSON array of teams`);
  const rows = entries.map((entry, index) => rowOf(entry, `${path}: entry ${index}`));
  for (const [index, row] of rows.entries()) yield { row, progress: (index + 1) / rows.length };
}

/** A JSON array rather than NDJSON: its first non-blank character (of the first 64 bytes) is `[`. */
function startsWithBracket(path: string): boolean {
  const head = Buffer.alloc(64);
  const fd = openSync(path, "r");
  try {
    const read = readSync(fd, head, 0, head.length, 0);
    return head.subarray(0, read).toString("utf8").trimStart().startsWith("[");
  } finally {
    closeSync(fd);
  }
}

function parseLine(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ImportFileError(`${where}: not JSON (${(error as Error).message})`);
  }
}

/**
 * A team object as a row. Missing or blank fields are sent as they are: the server
 * rejects that row, with its index, and the import goes on.
 */
function rowOf(entry: unknown, where: string): ImportRow {
  if (typeof entry !== "object" || entry === null || Array.isArray(entry)) {
    throw new ImportFileError(`${where}: expected an object {"city", "nickname"}`);
  }
  const { city, nickname, if_version: ifVersion } = entry as Record<string, unknown>;
  if (
    ifVersion !== undefined &&
    (typeof ifVersion !== "number" || !Number.isSafeInteger(ifVersion) || ifVersion < 0)
  ) {
    throw new ImportFileError(`${where}: if_version must be a whole number`);
  }
  return {
    city: typeof city === "string" ? city : "",
    nickname: typeof nickname === "string" ? nickname : "",
    ...(ifVersion === undefined ? {} : { ifVersion }),
  };
}
