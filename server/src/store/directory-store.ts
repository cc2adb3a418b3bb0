// STOPGAP until the SQLite store lands: the old read-only in-memory directory
// behind the TeamStore boundary, so `npm start` keeps serving the ten teams.
// Every team is at version 1; writes answer UNAVAILABLE naming the cause.
import { TeamDirectory } from "../directory.ts";
import type { TeamRecord } from "../team-record.ts";
import { type StoredTeam, StoreError, type TeamChange, type TeamStore } from "./team-store.ts";

const readOnly = "the in-memory directory is read-only (no database configured)";

export class DirectoryStore implements TeamStore {
  readonly kind = "directory";
  readonly #directory: TeamDirectory;

  constructor(teams: readonly TeamRecord[]) {
    this.#directory = new TeamDirectory(teams);
  }

  get size(): number {
    return this.#directory.size;
  }

  async get(city: string): Promise<StoredTeam | undefined> {
    const team = this.#directory.find(city);
    return team && { ...team, version: 1 };
  }

  async *list(prefix: string, limit: number): AsyncIterable<StoredTeam> {
    for (const team of this.#directory.list(prefix, limit)) yield { ...team, version: 1 };
  }

  async put(): Promise<never> {
    throw new StoreError("unavailable", readOnly);
  }
  async delete(): Promise<never> {
    throw new StoreError("unavailable", readOnly);
  }
  async importBatch(): Promise<never> {
    throw new StoreError("unavailable", readOnly);
  }
  async currentVersion(): Promise<number> {
    return 1;
  }
  async changesSince(): Promise<TeamChange[]> {
    return [];
  }
  async ping(): Promise<void> {}
  async close(): Promise<void> {}
}
