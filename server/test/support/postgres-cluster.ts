// A throwaway PostgreSQL 15 cluster for tests: initdb in a temporary directory, pg_ctl
// on a free loopback port, as the postgres user when the tests run as root (initdb
// refuses root). Stop and start it again on the same port to test an outage.
import { execFile } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before } from "node:test";
import { promisify } from "node:util";
import pg from "pg";

const run = promisify(execFile);
const bin = "/usr/lib/postgresql/15/bin";

export type PostgresCluster = {
  port: number;
  /** A URL of the cluster's `postgres` database. */
  url: string;
  /** Creates an empty database and returns its URL. */
  createDatabase(): Promise<string>;
  /** pg_ctl stop (fast): connections are cut, new ones refused. */
  stop(): Promise<void>;
  /** pg_ctl start again on the same port. */
  start(): Promise<void>;
  /** Stops it and removes its directory. */
  destroy(): Promise<void>;
};

export async function startPostgresCluster(): Promise<PostgresCluster> {
  if (!existsSync(join(bin, "initdb"))) {
    throw new Error(`PostgreSQL 15 is not installed (${bin}/initdb): apt-get install postgresql`);
  }
  const dir = mkdtempSync(join(tmpdir(), "teams-pg-"));
  const asPostgres = process.getuid?.() === 0;
  if (asPostgres) {
    const ids = await Promise.all(["-u", "-g"].map((flag) => run("id", [flag, "postgres"])));
    const [uid, gid] = ids.map(({ stdout }) => Number(stdout.trim()));
    chownSync(dir, uid as number, gid as number);
  }
  const pgBin = (tool: string, args: string[]) =>
    asPostgres
      ? run("runuser", ["-u", "postgres", "--", join(bin, tool), ...args])
      : run(join(bin, tool), args);
  const data = join(dir, "data");
  await pgBin("initdb", ["-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync"]);
  const port = await freePort();
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
  const start = async () => {
    await pgBin("pg_ctl", ["start", "-w", "-D", data, "-l", join(dir, "log"), "-o", options]);
  };
  const stop = async () => {
    await pgBin("pg_ctl", ["stop", "-w", "-m", "fast", "-D", data]);
  };
  await start();
  const base = `postgres://postgres@127.0.0.1:${port}`;
  let databases = 0;
  return {
    port,
    url: `${base}/postgres`,
    async createDatabase() {
      const name = `teams_${++databases}`;
      const client = new pg.Client({ connectionString: `${base}/postgres` });
      await client.connect();
      try {
        await client.query(`create database ${name}`);
      } finally {
        await client.end();
      }
      return `${base}/${name}`;
    },
    stop,
    start,
    async destroy() {
      await stop().catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A cluster for the calling test file: started in `before`, destroyed in `after`.
 * Returns a getter, valid once the tests run.
 */
export function usePostgresCluster(): () => PostgresCluster {
  let cluster: PostgresCluster | undefined;
  before(async () => {
    cluster = await startPostgresCluster();
  });
  after(async () => {
    await cluster?.destroy();
  });
  return () => {
    if (!cluster) throw new Error("the PostgreSQL cluster starts in before()");
    return cluster;
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}
