import type { Logger } from "../logger.ts";
import { StoreError, type TeamChange, type TeamStore } from "../store/team-store.ts";
import type { ChangeSignal } from "./postgres-change-signal.ts";

/** Changes read from the log per query. */
export const feedPage = 1_000;

/** A watch as the feed sees it: it is offered every change, or told to resume elsewhere. */
export interface ChangeListener {
  offer(change: TeamChange): void;
  /** End the watch with UNAVAILABLE / WATCH_RESUME, saying `why`. */
  resume(why: string): void;
}

/**
 * One per replica: reads the store's change log from its last version and
 * offers each change, in version order, to every watch of this replica. Woken by
 * this replica's writes (`wake()`), by the store's own change notifications
 * when it has them (PostgreSQL LISTEN/NOTIFY), and by a poll as a safety net
 * (changes made by other processes). The log stays the truth: a wake-up only
 * says "read it now".
 */
export class ChangeFeed {
  #position: number | undefined;
  readonly #listeners = new Set<ChangeListener>();
  #reading: Promise<void> | undefined;
  #readAgain = false;
  #closed = false;
  #poll: NodeJS.Timeout | undefined;
  readonly #unsubscribe: Array<() => void> = [];

  constructor(
    private readonly store: TeamStore,
    private readonly pollMs: number,
    private readonly logger: Logger,
    /** Other replicas' writes (PostgreSQL LISTEN/NOTIFY); this replica's writes are published to it. */
    private readonly signal?: ChangeSignal,
  ) {}

  /**
   * Starts from the store's current version: call it before serving, so no watch
   * can start before the feed knows where the log stands. A store that does not
   * answer yet is read from its version once it does.
   */
  async start(): Promise<void> {
    this.#poll = setInterval(() => this.wake(), this.pollMs);
    this.#poll.unref();
    const wake = () => this.wake();
    const fromStore = this.store.onChange?.(wake);
    if (fromStore) this.#unsubscribe.push(fromStore);
    if (this.signal) this.#unsubscribe.push(this.signal.subscribe(wake));
    this.wake();
    await this.#reading;
  }

  /** Adds a watch; returns its removal. A watch added after close() is told to resume at once. */
  subscribe(listener: ChangeListener): () => void {
    if (this.#closed) {
      listener.resume("this server is shutting down");
      return () => {};
    }
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The newest version offered to the watches (undefined until the feed has read the log). */
  get position(): number | undefined {
    return this.#position;
  }

  get watchers(): number {
    return this.#listeners.size;
  }

  /** This replica committed a write: read the log now, and tell the other replicas. */
  written(): void {
    this.wake();
    this.signal?.publish();
  }

  /** Read the log now (coalesced: a wake-up during a read makes one more read after it). */
  wake(): void {
    if (this.#closed) return;
    if (this.#reading) {
      this.#readAgain = true;
      return;
    }
    this.#reading = this.#readAll().finally(() => {
      this.#reading = undefined;
      if (this.#readAgain) {
        this.#readAgain = false;
        this.wake();
      }
    });
  }

  /** Shutdown: every watch ends with WATCH_RESUME at once, so a drain is not held up. */
  close(): void {
    this.#closed = true;
    clearInterval(this.#poll);
    for (const unsubscribe of this.#unsubscribe) unsubscribe();
    for (const listener of [...this.#listeners]) listener.resume("this server is shutting down");
    this.#listeners.clear();
  }

  async #readAll(): Promise<void> {
    try {
      if (this.#position === undefined || this.#listeners.size === 0) {
        // No watch to offer changes to (a bulk import with no watcher): skip to the newest
        // version instead of reading every change. A watch that subscribes later reads the
        // store itself up to then; one that subscribed during the wait is offered the changes.
        const version = await this.store.currentVersion();
        if (this.#position === undefined || this.#listeners.size === 0) {
          this.#position = version;
          return;
        }
      }
      for (;;) {
        const page = await this.store.changesSince(this.#position, feedPage);
        for (const change of page) {
          this.#position = change.version;
          for (const listener of this.#listeners) listener.offer(change);
        }
        if (page.length < feedPage || this.#closed) return;
        // A long backlog: let the watches send before the next page is queued for them.
        await new Promise((resolve) => setImmediate(resolve));
      }
    } catch (error) {
      await this.#recover(error);
    }
  }

  /** A failed read: retried at the next wake-up; a trimmed log restarts the feed and its watches. */
  async #recover(error: unknown): Promise<void> {
    if (error instanceof StoreError && error.kind === "history-trimmed") {
      this.logger.warn("change feed fell behind the trimmed log; watches resume", {});
      this.#position = undefined;
      for (const listener of [...this.#listeners]) listener.resume("the change feed restarted");
      return;
    }
    const reason = error instanceof Error ? error.message : String(error);
    this.logger.warn("change feed cannot read the change log; retrying", { error: reason });
  }
}
