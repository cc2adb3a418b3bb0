// Teams files for the growth and streaming scenarios, in the server's format (a JSON array of
// {city, nickname}), written to a temp dir at bench time: a million teams is ~40 MB, not for git.
import { createWriteStream } from "node:fs";
import { finished } from "node:stream/promises";

/** The city of team i in a generated directory: zero-padded so code-unit order is index order. */
export function generatedCity(i: number): string {
  return `City ${String(i).padStart(7, "0")}`;
}

/**
 * What the growth scenario asks of a directory of `size` teams: a city in the middle (found),
 * and a prefix in the middle that matches exactly 10 cities (10 <= size).
 */
export function middleQueries(size: number): { city: string; prefix: string } {
  const middle = Math.floor(size / 2 / 10) * 10;
  const city = generatedCity(middle);
  return { city, prefix: city.slice(0, -1) };
}

/** Writes `size` generated teams to `path`, streaming so the bench never holds them all. */
export async function writeDirectoryFile(path: string, size: number): Promise<void> {
  const out = createWriteStream(path);
  out.write("[\n");
  for (let i = 0; i < size; i++) {
    const line = `${JSON.stringify({ city: generatedCity(i), nickname: `Team ${i}` })}${i + 1 < size ? ",\n" : "\n"}`;
    if (!out.write(line)) await new Promise<void>((resume) => out.once("drain", () => resume()));
  }
  out.end("]\n");
  await finished(out);
}
