import type { ServerWritableStream, ServiceError } from "@grpc/grpc-js";
import { status } from "@grpc/grpc-js";
import type { TeamEvent, WatchTeamsRequest } from "../gen/teams.ts";
import { errorWithInfo } from "../rich-error.ts";
import { reasons, storeFailure } from "../rpc/store-status.ts";
import { drainedOrCancelled, isGone, send } from "../rpc/stream-flow.ts";
import type { TeamChange, TeamStore } from "../store/team-store.ts";
import { cityKey } from "../team-record.ts";
import type { ChangeFeed, ChangeListener } from "./change-feed.ts";
import { feedPage } from "./change-feed.ts";
import {
  changeEvent,
  changeKey,
  heartbeatEvent,
  liveChangeEvent,
  putEvent,
  snapshotCompleteEvent,
} from "./team-events.ts";
import type { WatchSettings } from "./watch-settings.ts";

export type WatchCall = ServerWritableStream<WatchTeamsRequest, TeamEvent>;

/**
 * One WatchTeams stream. It subscribes to the replica's feed first (changes wait
 * in its bounded queue), then catches up from the store itself (the snapshot and
 * the log after `since_version`), then sends the queued and live changes it has
 * not covered yet. Every change is sent once, in version order.
 */
export class WatchSession implements ChangeListener {
  readonly #prefix: string;
  /** The newest version sent or skipped: changes at or below it are never sent again. */
  #cursor = 0;
  /** The newest version the feed offered, matching or not (heartbeats report it when idle). */
  #seen = 0;
  #queue: TeamChange[] = [];
  /** The queue overflowed while catching up: the store must be read once more. */
  #overflowed = false;
  #live = false;
  #ended = false;
  /** Set while live changes are being sent (#pump): resolves it when the watch ends. */
  #whenEnded: (() => void) | undefined;
  /** The transport's buffer is full: sending waits for 'drain'. */
  #blocked = false;
  readonly #timers: NodeJS.Timeout[] = [];
  /** Called when the watch is ended for falling behind (the handler logs it). */
  onCut: (() => void) | undefined;

  constructor(
    private readonly call: WatchCall,
    private readonly store: TeamStore,
    private readonly settings: WatchSettings,
  ) {
    this.#prefix = cityKey(call.request.prefix);
  }

  /** Runs the watch until the client leaves or the server ends it; never rejects. */
  async run(feed: ChangeFeed): Promise<void> {
    const unsubscribe = feed.subscribe(this);
    this.call.on("cancelled", () => this.#stop());
    try {
      const since = this.call.request.since_version;
      if (since === 0) await this.#snapshot();
      else await this.#resumeFrom(since);
      this.#goLive();
      await this.#pump();
    } catch (error) {
      const answered = typeof (error as Partial<ServiceError>).code === "number";
      this.#fail(answered ? (error as Partial<ServiceError>) : storeFailure(error));
    } finally {
      unsubscribe();
      this.#stop();
    }
  }

  offer(change: TeamChange): void {
    if (this.#ended) return;
    this.#seen = change.version;
    if (!changeKey(change).startsWith(this.#prefix)) return;
    this.#queue.push(change);
    if (this.#queue.length > this.settings.queueLimit) {
      if (this.#live) {
        this.resume(`this watcher fell more than ${this.settings.queueLimit} changes behind`);
        this.onCut?.();
        return;
      }
      this.#queue = [];
      this.#overflowed = true;
    }
    if (this.#whenEnded) this.#flush();
  }

  resume(why: string): void {
    const message = `${why}; watch again with since_version ${this.#cursor}`;
    this.#fail(errorWithInfo(status.UNAVAILABLE, message, { reason: reasons.watchResume }));
  }

  /** The matching teams in city order, the changes made meanwhile, then snapshot_complete. */
  async #snapshot(): Promise<void> {
    const before = await this.store.currentVersion();
    // Teams the listing saw at a version newer than `before`: their older changes are already in it.
    const listedLater = new Map<string, number>();
    for await (const team of this.store.list(this.call.request.prefix, 0)) {
      if (this.#ended) return;
      if (team.version > before) listedLater.set(cityKey(team.city), team.version);
      await send(this.call, putEvent(team));
    }
    this.#cursor = before;
    await this.#catchUp((change) => (listedLater.get(changeKey(change)) ?? 0) >= change.version);
    await send(this.call, snapshotCompleteEvent(this.#cursor));
  }

  async #resumeFrom(since: number): Promise<void> {
    const current = await this.store.currentVersion();
    if (since > current) {
      const message = `since_version ${since} is newer than the directory (version ${current}): it was replaced; watch again from 0`;
      throw errorWithInfo(status.FAILED_PRECONDITION, message, { reason: reasons.historyTrimmed });
    }
    this.#cursor = since;
    await this.#catchUp(() => false);
  }

  /** Reads the log from the cursor until it is exhausted with no queue overflow meanwhile. */
  async #catchUp(alreadySent: (change: TeamChange) => boolean): Promise<void> {
    do {
      this.#overflowed = false;
      let page: TeamChange[];
      do {
        page = await this.store.changesSince(this.#cursor, feedPage);
        for (const change of page) {
          if (this.#ended) return;
          this.#cursor = change.version;
          if (!changeKey(change).startsWith(this.#prefix) || alreadySent(change)) continue;
          await send(this.call, changeEvent(change));
        }
      } while (page.length === feedPage);
    } while (this.#overflowed);
  }

  /**
   * Sends the queued and live changes above the cursor until the watch ends. A change the feed
   * offers is written at once, in offer(), while the transport takes it: no promise or task
   * per change per watch; a full transport buffer holds the queue until 'drain'.
   */
  #pump(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.#whenEnded = resolve;
      this.#flush();
    });
  }

  #flush(): void {
    while (!this.#blocked && !this.#ended) {
      const change = this.#queue.shift();
      if (!change) return;
      if (change.version <= this.#cursor) continue;
      this.#cursor = change.version;
      if (!this.call.write(liveChangeEvent(change))) {
        this.#blocked = true;
        void drainedOrCancelled(this.call).then(() => {
          this.#blocked = false;
          this.#flush();
        });
      }
    }
  }

  #goLive(): void {
    if (this.#ended) return;
    this.#live = true;
    const { heartbeatMs, maxAgeMs } = this.settings;
    this.#timers.push(setInterval(() => this.#heartbeat(), heartbeatMs));
    const age = maxAgeMs * (0.85 + 0.3 * Math.random());
    this.#timers.push(setTimeout(() => this.resume("this watch reached its maximum age"), age));
  }

  #heartbeat(): void {
    if (this.#queue.length > 0 || this.#ended) return;
    // Nothing waits to be sent: every version the feed offered is covered.
    this.#cursor = Math.max(this.#cursor, this.#seen);
    this.call.write(heartbeatEvent(this.#cursor));
  }

  #fail(error: Partial<ServiceError>): void {
    if (this.#ended) return;
    this.#stop();
    if (!isGone(this.call)) this.call.emit("error", error);
  }

  #stop(): void {
    this.#ended = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#whenEnded?.();
  }
}
