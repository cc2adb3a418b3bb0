import { openTeamStore } from "../../src/store/open-team-store.ts";
import { usePostgresCluster } from "../support/postgres-cluster.ts";
import { describeTeamStore } from "./team-store-conformance.ts";

const cluster = usePostgresCluster();

describeTeamStore("PostgreSQL", {
  async open() {
    const databaseUrl = await cluster().createDatabase();
    return {
      store: await openTeamStore({ databaseUrl }),
      openTwin: () => openTeamStore({ databaseUrl }),
    };
  },
});
