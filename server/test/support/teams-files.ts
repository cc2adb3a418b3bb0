import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TeamRecord } from "../../src/team-record.ts";

/** A temp folder removed by `cleanup()`. */
export function tempDir(): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), "teams-server-test-"));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** `count` teams "City 0000001" … in city order, nicknames "Team 1" …. */
export function generatedTeams(count: number): TeamRecord[] {
  return Array.from({ length: count }, (_, i) => ({
    city: `City ${String(i + 1).padStart(7, "0")}`,
    nickname: `Team ${i + 1}`,
  }));
}

/** Writes a teams file, one entry per line (as data/teams.json is laid out), and returns its path. */
export function writeTeamsFile(dir: string, name: string, teams: readonly unknown[]): string {
  const path = join(dir, name);
  const lines = teams.map((team) => `  ${JSON.stringify(team)}`);
  writeFileSync(path, `[\n${lines.join(",\n")}\n]\n`);
  return path;
}
