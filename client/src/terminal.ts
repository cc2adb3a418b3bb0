// The process's streams, passed in so commands can run against any of them.
import { once } from "node:events";
import type { Readable, Writable } from "node:stream";

export type Terminal = {
  stdin: Readable;
  stdout: Writable;
  /** Messages, errors and the progress bar; never data. */
  stderr: Writable & { isTTY?: boolean };
};

/** Writes one line and waits when the reader is behind, so a long list never piles up in memory. */
export async function writeLine(out: Writable, line: string): Promise<void> {
  if (!out.write(`${line}\n`)) await once(out, "drain");
}

/** How every command prints a team: the tutorial's `print(response.city, response.nickname)`. */
export function teamLine(team: { city: string; nickname: string }): string {
  return `${team.city} ${team.nickname}`;
}
