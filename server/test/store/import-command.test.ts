// `npm run import -- FILE` (src/import-main.ts): a teams file into the configured store.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { openTeamStore } from "../../src/store/open-team-store.ts";
import { tempDir, writeTeamsFile } from "../support/teams-files.ts";

const run = promisify(execFile);
const serverDir = fileURLToPath(new URL("../..", import.meta.url));

function importFile(file: string, dataDir: string) {
  return run(process.execPath, ["--import", "tsx", "src/import-main.ts", file], {
    cwd: serverDir,
    env: { ...process.env, DATA_DIR: dataDir, INIT_CWD: dataDir },
  });
}

describe("npm run import -- FILE", () => {
  const temp = tempDir();
  after(() => temp.cleanup());

  it("writes the file's teams into the store, then reports them unchanged on a second run", async () => {
    const dataDir = join(temp.dir, "store");
    mkdirSync(dataDir);
    writeTeamsFile(dataDir, "teams.json", [
      { city: "Austin", nickname: "Bats" },
      { city: " Boise ", nickname: "Broncos" },
    ]);
    const first = await importFile("teams.json", dataDir);
    assert.equal(
      first.stdout,
      "imported 2 teams into sqlite: 2 created, 0 updated, 0 unchanged; directory version 2\n",
    );
    writeTeamsFile(dataDir, "teams.json", [
      { city: "austin", nickname: "Bats" },
      { city: "Boise", nickname: "Hawks" },
    ]);
    const second = await importFile("teams.json", dataDir);
    assert.match(second.stdout, /: 0 created, 1 updated, 1 unchanged; directory version 3\n$/);
    const store = await openTeamStore({ dataDir });
    try {
      assert.deepEqual(await store.get("boise"), { city: "Boise", nickname: "Hawks", version: 3 });
    } finally {
      await store.close();
    }
  });

  it("refuses a bad file with its line and reason, writing nothing", async () => {
    const dataDir = join(temp.dir, "refused");
    mkdirSync(dataDir);
    const file = writeTeamsFile(dataDir, "bad.json", [
      { city: "Austin", nickname: "Bats" },
      { city: "Austin", nickname: "Again" },
    ]);
    await assert.rejects(importFile(file, dataDir), (error: { code: number; stderr: string }) => {
      assert.equal(error.code, 1);
      assert.match(
        error.stderr,
        /^cannot import: .*bad\.json:\d+: entry 2: duplicate city "Austin"/,
      );
      return true;
    });
    const store = await openTeamStore({ dataDir });
    try {
      assert.equal(await store.currentVersion(), 0);
    } finally {
      await store.close();
    }
  });
});
