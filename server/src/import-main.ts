// `npm run import -- FILE`: loads a teams file into the configured store (DATA_DIR or
// DATABASE_URL, as the server reads them) and prints what it did. A bad file is refused
// whole, with the line of the first bad entry, before anything is written.
import { resolve } from "node:path";
import { ConfigError, readConfig } from "./config.ts";
import { importTeams } from "./store/import-teams.ts";
import { openTeamStore } from "./store/open-team-store.ts";
import { StoreError } from "./store/team-store.ts";
import { loadTeamsFile, TeamsFileError } from "./teams-file.ts";

async function main(args: string[]): Promise<number> {
  const [file, ...rest] = args;
  if (!file || rest.length > 0 || file.startsWith("-")) {
    process.stderr.write("usage: npm run import -- FILE (a JSON array of {city, nickname})\n");
    return 2;
  }
  try {
    const { storage } = readConfig(process.env);
    // npm runs the script in server/; a relative FILE means where `npm run` was typed.
    const teams = loadTeamsFile(resolve(process.env.INIT_CWD ?? process.cwd(), file));
    const store = await openTeamStore(storage);
    try {
      const totals = await importTeams(store, teams);
      process.stdout.write(
        `imported ${teams.length} teams into ${store.kind}: ${totals.created} created, ${totals.updated} updated, ${totals.unchanged} unchanged; directory version ${totals.version}\n`,
      );
    } finally {
      await store.close();
    }
    return 0;
  } catch (error) {
    const known =
      error instanceof ConfigError ||
      error instanceof TeamsFileError ||
      error instanceof StoreError;
    process.stderr.write(`cannot import: ${known ? (error as Error).message : String(error)}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
