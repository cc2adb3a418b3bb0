// A page of ListTeams answers as bytes: every TeamResponse of the page serialized into one
// buffer (its memory outside V8's heap) and the offsets where each message starts.
import type { TeamPage } from "../store/team-store.ts";
import { teamResponse } from "./team-messages.ts";

export type PageBytes = {
  /** Messages in the page. */
  count: number;
  /** Where the next page starts (TeamPage.after). */
  after: string | undefined;
  /** The i-th message's bytes: a view of the page's buffer, made when asked. */
  message(i: number): Buffer;
};

export function pageBytes(page: TeamPage): PageBytes {
  const count = page.teams.length;
  const parts: Uint8Array[] = new Array(count);
  const ends = new Uint32Array(count + 1);
  for (let i = 0; i < count; i++) {
    const bytes = teamResponse(page.teams[i] as TeamPage["teams"][number]).serialize();
    parts[i] = bytes;
    ends[i + 1] = (ends[i] as number) + bytes.length;
  }
  const buffer = Buffer.concat(parts, ends[count]);
  return {
    count,
    after: page.after,
    message: (i) => buffer.subarray(ends[i], ends[i + 1]),
  };
}
