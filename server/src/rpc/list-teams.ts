// ListTeams: the store's keyset pages streamed with backpressure, stopped on cancel. Each page
// is serialized to bytes as soon as it is read (list-page-bytes.ts), so while the client drains
// it the server holds one buffer, not a page of driver rows and objects: those die young
// instead of being promoted to V8's old generation and filling it between mark-compacts.
import { type ServerWritableStream, status } from "@grpc/grpc-js";
import {
  type ListTeamsRequest,
  type TeamResponse,
  UnimplementedTeamsService,
} from "../gen/teams.ts";
import { invalidArgument } from "../rich-error.ts";
import { listingPages, type TeamStore } from "../store/team-store.ts";
import { checkPrefix } from "../validation.ts";
import type { HandlerContext } from "./handler-context.ts";
import { type PageBytes, pageBytes } from "./list-page-bytes.ts";
import { storeFailure } from "./store-status.ts";
import { isGone, send } from "./stream-flow.ts";

/** What ListTeams writes: one serialized TeamResponse. */
type ListCall = ServerWritableStream<ListTeamsRequest, Buffer>;

/** ListTeams as the server serves it: the generated method, its messages already serialized. */
export const listTeamsMethod = {
  ...UnimplementedTeamsService.definition.ListTeams,
  responseSerialize: (message: Buffer | TeamResponse): Buffer =>
    Buffer.isBuffer(message) ? message : Buffer.from(message.serialize()),
};

export function listTeams(context: HandlerContext) {
  return (call: ListCall): void => {
    streamTeams(context, call).then(
      () => {
        if (!isGone(call)) call.end();
      },
      (error: { code?: status }) => {
        call.emit("error", error.code === status.INVALID_ARGUMENT ? error : storeFailure(error));
      },
    );
  };
}

/** Streams the matching teams; rejects with the error to answer. */
async function streamTeams({ store }: HandlerContext, call: ListCall): Promise<void> {
  const { prefix, limit } = call.request;
  const violation = checkPrefix(prefix);
  if (violation) throw invalidArgument(violation);
  const read = (after: string | undefined, size: number) => readPage(store, prefix, after, size);
  for await (const page of listingPages(read, (p) => p.count, limit)) {
    for (let i = 0; i < page.count; i++) {
      if (isGone(call)) return;
      await send(call, page.message(i));
    }
  }
}

/**
 * One page, read and serialized. A function of its own so that nothing but the bytes outlives
 * it: the rows are no longer reachable from the frame that waits for the client.
 */
async function readPage(
  store: TeamStore,
  prefix: string,
  after: string | undefined,
  size: number,
): Promise<PageBytes> {
  return pageBytes(await store.listPage(prefix, after, size));
}
