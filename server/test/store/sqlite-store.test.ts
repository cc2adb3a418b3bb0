import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after } from "node:test";
import { openTeamStore } from "../../src/store/open-team-store.ts";
import { describeTeamStore } from "./team-store-conformance.ts";

const root = mkdtempSync(join(tmpdir(), "teams-sqlite-"));
after(() => rmSync(root, { recursive: true, force: true }));
let stores = 0;

describeTeamStore("SQLite", {
  async open() {
    const dataDir = join(root, String(++stores));
    return {
      store: await openTeamStore({ dataDir }),
      openTwin: () => openTeamStore({ dataDir }),
    };
  },
});
