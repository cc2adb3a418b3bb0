// GetTeam answers found teams with bytes serialized once (src/rpc/get-team.ts): they must
// be exactly the message GetTeam always sent, and as fresh as the store's read cache, for
// writes through this replica and for writes another replica makes on the same database.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startServer } from "../src/index.ts";
import { Logger } from "../src/logger.ts";
import { stubAuthorizer } from "./support/stub-authorizer.ts";
import { getTeam, teamsClient } from "./support/teams-client.ts";
import { tempDir } from "./support/teams-files.ts";
import { deleteTeam, putTeam } from "./support/write-calls.ts";

const dataDir = tempDir();
const servers: Awaited<ReturnType<typeof startServer>>[] = [];
let clients: ReturnType<typeof teamsClient>[] = [];

before(async () => {
  // Two replicas on one SQLite store: the second opens it once the first has seeded it.
  for (let i = 0; i < 2; i++) {
    servers.push(
      await startServer({
        port: 0,
        host: "127.0.0.1",
        storage: { dataDir: dataDir.dir },
        logger: new Logger("silent"),
        authorizer: stubAuthorizer,
      }),
    );
  }
  clients = servers.map((server) => teamsClient(server.port));
});
after(async () => {
  for (const client of clients) client.close();
  for (const server of servers) await server.shutdown();
  dataDir.cleanup();
});

/** GetTeam on `client` until `done` holds for the answer (another replica's write lands in its own time). */
async function until(
  client: ReturnType<typeof teamsClient>,
  city: string,
  done: (team: Awaited<ReturnType<typeof getTeam>>) => boolean,
): Promise<Awaited<ReturnType<typeof getTeam>>> {
  for (;;) {
    const team = await getTeam(client, city);
    if (done(team)) return team;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe("GetTeam answers", { timeout: 30_000 }, () => {
  it("sends a found team as the full message, again and again", async () => {
    const [mine] = clients;
    assert.ok(mine);
    const first = await getTeam(mine, "chicago");
    assert.equal(first.city, "Chicago");
    assert.equal(first.found, true);
    assert.ok((first.version ?? 0) > 0);
    assert.deepEqual(await getTeam(mine, " Chicago "), first);
  });

  it("answers this replica's writes at once, and the other replica's once its change log shows them", async () => {
    const [mine, other] = clients;
    assert.ok(mine && other);
    // Both replicas have answered (and so remembered) Boston before it changes.
    const before = await getTeam(mine, "Boston");
    assert.deepEqual(await getTeam(other, "Boston"), before);

    const renamed = await putTeam(mine, { city: "Boston", nickname: "Bruins" });
    assert.ok((renamed.version ?? 0) > (before.version ?? 0));
    assert.deepEqual(await getTeam(mine, "Boston"), renamed);
    assert.deepEqual(
      await until(other, "Boston", (team) => team.version === renamed.version),
      renamed,
    );

    await deleteTeam(other, { city: "Boston" });
    assert.equal((await getTeam(other, "Boston")).found, false);
    const gone = await until(mine, "Boston", (team) => !team.found);
    assert.deepEqual(gone, { city: "Boston", nickname: "not a member", found: false, version: 0 });
  });
});
