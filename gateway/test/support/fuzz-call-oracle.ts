// Which fuzzed gRPC-Web calls the gateway may answer OK, and what an OK answer must hold.
import { TeamResponse } from "@teams/web/gen";

/** Base64 in 4-character groups, each padded or not (padding may end any group). */
export function decodeBase64Groups(text: Buffer): Buffer | undefined {
  const value = text.toString("latin1");
  if (value.length % 4 !== 0) return undefined;
  const groups: Buffer[] = [];
  for (let index = 0; index < value.length; index += 4) {
    const group = value.slice(index, index + 4);
    if (!/^(?:[A-Za-z0-9+/]{4}|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{2}==)$/.test(group))
      return undefined;
    groups.push(Buffer.from(group, "base64"));
  }
  return Buffer.concat(groups);
}

/** Exactly one uncompressed message frame whose length prefix is true. */
export function isOneMessage(bytes: Buffer): boolean {
  return bytes.length >= 5 && bytes[0] === 0 && bytes.readUInt32BE(1) === bytes.length - 5;
}

// The gateway enforces grpc-timeout to the millisecond, rounded up: 1n may still
// beat its 1 ms timer on loopback, 0 never gets an answer.
export function timeoutAllowsAnswer(value: string | undefined): boolean {
  return value === undefined || value === "1n" || isLongTimeout(value);
}

/** A valid grpc-timeout of 1 s or more: a well-formed call must not end DEADLINE_EXCEEDED. */
export function isLongTimeout(value: string | undefined): boolean {
  const match = /^(\d{1,8})([HMS])$/.exec(value ?? "");
  return match !== null && Number(match[1]) * { H: 3600, M: 60, S: 1 }[match[2] as "H"] >= 1;
}

/** For a well-formed call: every answer message must be a TeamResponse, one for GetTeam. */
export function answerFits(path: string, messages: readonly Buffer[]): boolean {
  if (path === "/Teams/GetTeam" && messages.length !== 1) return false;
  try {
    for (const message of messages) TeamResponse.deserialize(message);
    return true;
  } catch {
    return false;
  }
}
