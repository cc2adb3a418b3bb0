// One ImportTeams client stream over plain node:http2, as a load generator: the messages are
// length-prefixed and written many to an HTTP/2 write (gRPC framing is independent of HTTP/2
// framing, as grpc-go and C-core clients send them), honouring backpressure, so the figure is
// the server's, not the client library's. grpc-js's own client spends more CPU per message
// than the server does (its retry buffer is copied on every write; see bench/README.md).
import { once } from "node:events";
import { connect } from "node:http2";
import { performance } from "node:perf_hooks";
import { ImportTeamsResponse, PutTeamRequest } from "@teams/server/gen/teams";
import { protocolHeaders } from "./protocols.ts";

/** Messages per HTTP/2 write: about 40 KB of requests. */
const messagesPerWrite = 1000;

/** The i-th generated team of a bulk import: distinct cities, valid by the contract's rules. */
export function importedTeam(i: number): { city: string; nickname: string } {
  return { city: `Import City ${String(i).padStart(7, "0")}`, nickname: `Team ${i}` };
}

/** What one import answered and how long it took from the first message to the answer. */
export interface ImportOutcome {
  seconds: number;
  response: ImportTeamsResponse;
}

/** `count` messages from `from` on, each with its 5-byte gRPC prefix, in one buffer. */
function framedTeams(from: number, count: number): Buffer {
  const frames: Buffer[] = [];
  for (let i = from; i < from + count; i++) {
    const message = new PutTeamRequest(importedTeam(i)).serializeBinary();
    const frame = Buffer.allocUnsafe(5 + message.length);
    frame.writeUInt8(0, 0);
    frame.writeUInt32BE(message.length, 1);
    frame.set(message, 5);
    frames.push(frame);
  }
  return Buffer.concat(frames);
}

/** Sends `count` teams over one ImportTeams stream and waits for its answer. */
export async function importOverOneStream(
  port: number,
  token: string,
  count: number,
): Promise<ImportOutcome> {
  const session = connect(`http://127.0.0.1:${port}`);
  session.on("error", () => {}); // surfaces as the stream's error below
  try {
    const start = performance.now();
    const stream = session.request({
      ":method": "POST",
      ":path": "/Teams/ImportTeams",
      ...protocolHeaders.grpc,
      authorization: `Bearer ${token}`,
    });
    const body: Buffer[] = [];
    let status = "missing";
    let message = "";
    const readStatus = (headers: Record<string, unknown>) => {
      if (headers["grpc-status"] !== undefined) status = String(headers["grpc-status"]);
      if (headers["grpc-message"] !== undefined) message = String(headers["grpc-message"]);
    };
    stream.on("response", readStatus);
    stream.on("trailers", readStatus);
    stream.on("data", (chunk: Buffer) => body.push(chunk));
    const ended = new Promise<void>((resolve, reject) => {
      stream.on("close", resolve);
      stream.on("error", reject);
    });
    // An early answer (an error status) ends the stream: stop writing then.
    let open = true;
    void ended.finally(() => {
      open = false;
    });
    for (let from = 0; from < count && open; from += messagesPerWrite) {
      const chunk = framedTeams(from, Math.min(messagesPerWrite, count - from));
      if (!stream.write(chunk)) await Promise.race([once(stream, "drain"), ended]);
    }
    stream.end();
    await ended;
    if (status !== "0") {
      throw new Error(`ImportTeams ended with status ${status}: ${decodeURIComponent(message)}`);
    }
    const answer = Buffer.concat(body);
    return {
      seconds: (performance.now() - start) / 1000,
      response: ImportTeamsResponse.deserializeBinary(answer.subarray(5)),
    };
  } finally {
    session.close();
  }
}
