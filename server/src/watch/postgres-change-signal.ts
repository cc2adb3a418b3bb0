// Replicas sharing one PostgreSQL tell each other "I wrote" with LISTEN/NOTIFY, so
// their change feeds read the log at once instead of at the next poll. Only a
// wake-up: the change log stays the truth, and a lost notification costs at most
// one poll interval.
import pg from "pg";
import type { Logger } from "../logger.ts";
import { postgresName } from "../store/postgres-driver.ts";

/** The channel every replica listens on and notifies. */
export const changeChannel = "teams_changes";

/** What the change feed needs of a cross-replica wake-up. */
export interface ChangeSignal {
  /** Calls `listener` when some replica wrote (or the signal reconnected: read the log). */
  subscribe(listener: () => void): () => void;
  /** Tells every replica (this one included) that this one committed a write. */
  publish(): void;
  close(): Promise<void>;
}

export type PostgresSignalOptions = {
  /** How often the listening connection is checked with a query; a silent death is replaced. */
  checkMs?: number;
  /** How long that check may take before the connection counts as dead. */
  checkTimeoutMs?: number;
  /** Wait before connecting again after a failure. */
  retryMs?: number;
};

/** One dedicated connection per replica: LISTEN on it, NOTIFY through it. */
export class PostgresChangeSignal implements ChangeSignal {
  readonly #listeners = new Set<() => void>();
  #client: pg.Client | undefined;
  #closed = false;
  #check: NodeJS.Timeout | undefined;
  #retry: NodeJS.Timeout | undefined;
  readonly #options: Required<PostgresSignalOptions>;

  constructor(
    private readonly url: string,
    private readonly name: string,
    private readonly logger: Logger,
    options: PostgresSignalOptions = {},
  ) {
    this.#options = { checkMs: 10_000, checkTimeoutMs: 5_000, retryMs: 1_000, ...options };
  }

  /** Connects and listens; a failure is logged and retried, never thrown. */
  async start(): Promise<void> {
    this.#check = setInterval(() => void this.#checkAlive(), this.#options.checkMs);
    this.#check.unref();
    await this.#connect();
  }

  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  publish(): void {
    this.#client?.query(`NOTIFY ${changeChannel}`).catch(() => {
      // The next poll reads the change anyway; the check replaces a broken connection.
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#check);
    clearTimeout(this.#retry);
    const client = this.#client;
    this.#client = undefined;
    await client?.end().catch(() => {});
  }

  async #connect(): Promise<void> {
    if (this.#closed) return;
    const client = new pg.Client({ connectionString: this.url });
    client.on("notification", () => this.#emit());
    client.on("error", (error) => this.#replace(client, error.message));
    client.on("end", () => this.#replace(client, "connection ended"));
    try {
      await client.connect();
      await client.query(`LISTEN ${changeChannel}`);
    } catch (error) {
      this.#replace(client, (error as Error).message);
      return;
    }
    if (this.#closed) {
      await client.end().catch(() => {});
      return;
    }
    this.#client = client;
    this.logger.info("listening for changes of other replicas", { database: this.name });
    // Notifications may have been missed while not listening: read the log now.
    this.#emit();
  }

  /** A query on the listening connection, answered in time, or the connection is replaced. */
  async #checkAlive(): Promise<void> {
    const client = this.#client;
    if (!client) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error("no answer")), this.#options.checkTimeoutMs);
    });
    try {
      await Promise.race([client.query("SELECT 1"), timeout]);
    } catch (error) {
      this.#replace(client, `check failed: ${(error as Error).message}`);
    } finally {
      clearTimeout(timer);
    }
  }

  #replace(client: pg.Client, reason: string): void {
    const wasListening = this.#client === client;
    if (wasListening) this.#client = undefined;
    client.removeAllListeners("end");
    client.on("error", () => {});
    client.end().catch(() => {});
    if (this.#closed || this.#retry || (!wasListening && this.#client)) return;
    // The database name only: the URL may hold credentials, the driver's text too.
    this.logger.warn("change notifications lost; reconnecting", { database: this.name, reason });
    this.#retry = setTimeout(() => {
      this.#retry = undefined;
      void this.#connect();
    }, this.#options.retryMs);
    this.#retry.unref();
  }

  #emit(): void {
    for (const listener of this.#listeners) listener();
  }
}

/**
 * The signal of a server that opens PostgreSQL itself (DATABASE_URL): started, or
 * undefined for SQLite, whose feed polls (WATCH_POLL_MS).
 */
export async function replicaChangeSignal(
  databaseUrl: string | undefined,
  logger: Logger,
): Promise<PostgresChangeSignal | undefined> {
  if (!databaseUrl) return undefined;
  const signal = new PostgresChangeSignal(databaseUrl, postgresName(databaseUrl), logger);
  await signal.start();
  return signal;
}
