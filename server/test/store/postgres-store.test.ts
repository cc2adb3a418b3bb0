import { after, before } from "node:test";
import { openTeamStore } from "../../src/store/open-team-store.ts";
import { type PostgresCluster, startPostgresCluster } from "../support/postgres-cluster.ts";
import { describeTeamStore } from "./team-store-conformance.ts";

let cluster: PostgresCluster;
before(async () => {
  cluster = await startPostgresCluster();
});
after(() => cluster.destroy());

describeTeamStore("PostgreSQL", {
  async open() {
    const databaseUrl = await cluster.createDatabase();
    return {
      store: await openTeamStore({ databaseUrl }),
      openTwin: () => openTeamStore({ databaseUrl }),
    };
  },
});
