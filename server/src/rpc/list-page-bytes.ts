// A page of ListTeams answers as bytes: every found team's TeamResponse written straight into one
// buffer (its memory outside V8's heap), with the offsets where each message starts. Written
// here rather than with the generated serialize(), whose google-protobuf writer allocates some
// 2 KB of short-lived arrays per message: while a page is being serialized its rows are alive,
// and the more is allocated meanwhile, the more scavenges find them alive and promote them to the
// old generation (server/README.md, "What ListTeams promoted"). test/list-page-bytes.test.ts
// holds these bytes equal to TeamResponse.serialize() of the same team.
import type { StoredTeam, TeamPage } from "../store/team-store.ts";

export type PageBytes = {
  /** Messages in the page. */
  count: number;
  /** Where the next page starts (TeamPage.after). */
  after: string | undefined;
  /** The i-th message's bytes: a view of the page's buffer, made when asked. */
  message(i: number): Buffer;
};

// TeamResponse (proto/teams.proto): city = 1 and nickname = 2 (length-delimited), found = 3
// (varint), version = 4 (uint64 varint). Tags are (field << 3) | wire type.
const cityTag = 0x0a;
const nicknameTag = 0x12;
const foundTrue = [0x18, 0x01] as const;
const versionTag = 0x20;

export function pageBytes(page: TeamPage): PageBytes {
  const { teams } = page;
  const ends = new Uint32Array(teams.length + 1);
  for (let i = 0; i < teams.length; i++) {
    ends[i + 1] = (ends[i] as number) + encodedLength(teams[i] as StoredTeam);
  }
  const buffer = Buffer.allocUnsafe(ends[teams.length] as number);
  for (let i = 0; i < teams.length; i++)
    writeTeam(buffer, ends[i] as number, teams[i] as StoredTeam);
  return {
    count: teams.length,
    after: page.after,
    message: (i) => buffer.subarray(ends[i], ends[i + 1]),
  };
}

function encodedLength({ city, nickname, version }: StoredTeam): number {
  return (
    stringFieldLength(city) +
    stringFieldLength(nickname) +
    foundTrue.length +
    (version === 0 ? 0 : 1 + varintLength(version))
  );
}

function stringFieldLength(text: string): number {
  if (text.length === 0) return 0;
  const bytes = Buffer.byteLength(text);
  return 1 + varintLength(bytes) + bytes;
}

function writeTeam(buffer: Buffer, start: number, { city, nickname, version }: StoredTeam): void {
  let at = writeString(buffer, start, cityTag, city);
  at = writeString(buffer, at, nicknameTag, nickname);
  buffer[at++] = foundTrue[0];
  buffer[at++] = foundTrue[1];
  if (version !== 0) {
    buffer[at++] = versionTag;
    writeVarint(buffer, at, version);
  }
}

function writeString(buffer: Buffer, at: number, tag: number, text: string): number {
  if (text.length === 0) return at;
  buffer[at] = tag;
  const start = writeVarint(buffer, at + 1, Buffer.byteLength(text));
  return start + buffer.write(text, start, "utf8");
}

/** Writes a non-negative integer (up to 2^53) as a varint; returns the offset after it. */
function writeVarint(buffer: Buffer, at: number, value: number): number {
  let rest = value;
  while (rest >= 0x80) {
    buffer[at++] = (rest % 0x80) | 0x80;
    rest = Math.floor(rest / 0x80);
  }
  buffer[at++] = rest;
  return at;
}

function varintLength(value: number): number {
  let length = 1;
  for (let rest = value; rest >= 0x80; rest = Math.floor(rest / 0x80)) length++;
  return length;
}
