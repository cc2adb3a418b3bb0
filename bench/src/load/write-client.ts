// Write load from the driver process over grpc-js with the generated client: one ImportTeams
// client stream (honouring backpressure, never building the whole stream in memory) and
// PutTeam calls kept `concurrency` in flight. Every call carries the bench's bearer token.
import { once } from "node:events";
import { performance } from "node:perf_hooks";
import * as grpc from "@grpc/grpc-js";
import { type ImportTeamsResponse, PutTeamRequest, TeamsClient } from "@teams/server/gen/teams";

function writeClient(
  port: number,
  token: string,
): { client: TeamsClient; metadata: grpc.Metadata } {
  const client = new TeamsClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  const metadata = new grpc.Metadata();
  metadata.set("authorization", `Bearer ${token}`);
  return { client, metadata };
}

/** The i-th generated team of a bulk import: distinct cities, valid by the contract's rules. */
export function importedTeam(i: number): { city: string; nickname: string } {
  return { city: `Import City ${String(i).padStart(7, "0")}`, nickname: `Team ${i}` };
}

/** What one import answered and how long it took from the first message to the answer. */
export interface ImportOutcome {
  seconds: number;
  response: ImportTeamsResponse;
}

/** Sends `count` teams over one ImportTeams stream and waits for its answer. */
export async function importOverOneStream(
  port: number,
  token: string,
  count: number,
): Promise<ImportOutcome> {
  const { client, metadata } = writeClient(port, token);
  try {
    const start = performance.now();
    let stream: grpc.ClientWritableStream<PutTeamRequest> | undefined;
    const answered = new Promise<ImportTeamsResponse>((resolve, reject) => {
      stream = client.ImportTeams(metadata, (error, response) => {
        if (error) reject(error);
        else if (response) resolve(response);
        else reject(new Error("ImportTeams answered nothing"));
      });
    });
    const sink = stream as grpc.ClientWritableStream<PutTeamRequest>;
    // A failed call rejects `answered`; stop writing then instead of waiting for a drain.
    let failed = false;
    answered.catch(() => {
      failed = true;
      sink.emit("drain");
    });
    for (let i = 0; i < count && !failed; i++) {
      if (!sink.write(new PutTeamRequest(importedTeam(i)))) await once(sink, "drain");
    }
    sink.end();
    const response = await answered;
    return { seconds: (performance.now() - start) / 1000, response };
  } finally {
    client.close();
  }
}

/** PutTeam calls over `seconds`: each creates a new team; latencies of the successful ones. */
export interface PutOutcome {
  ok: number;
  errors: number;
  firstError?: string;
  latenciesMs: number[];
  seconds: number;
}

/** Keeps `concurrency` PutTeam calls in flight for `seconds`, on one channel. */
export async function putTeamsFor(
  port: number,
  token: string,
  concurrency: number,
  seconds: number,
  runId: string,
): Promise<PutOutcome> {
  const { client, metadata } = writeClient(port, token);
  const outcome: PutOutcome = { ok: 0, errors: 0, latenciesMs: [], seconds };
  const put = (request: PutTeamRequest) =>
    new Promise<void>((resolve) => {
      const sent = performance.now();
      client.PutTeam(request, metadata, (error) => {
        if (error) {
          outcome.errors++;
          outcome.firstError ??= error.message;
        } else {
          outcome.ok++;
          outcome.latenciesMs.push(performance.now() - sent);
        }
        resolve();
      });
    });
  try {
    const start = performance.now();
    const end = start + seconds * 1000;
    const worker = async (w: number) => {
      for (let n = 0; performance.now() < end; n++) {
        await put(new PutTeamRequest({ city: `Put ${runId} ${w}-${n}`, nickname: `Team ${n}` }));
      }
    };
    await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(w)));
    outcome.seconds = (performance.now() - start) / 1000;
    return outcome;
  } finally {
    client.close();
  }
}

/** One PutTeam at a time on one channel: the single writes whose fan-out the bench times. */
export interface TeamWriter {
  put(city: string, nickname: string): Promise<void>;
  close(): void;
}

export function openTeamWriter(port: number, token: string): TeamWriter {
  const { client, metadata } = writeClient(port, token);
  return {
    put: (city, nickname) =>
      new Promise((resolve, reject) => {
        client.PutTeam(new PutTeamRequest({ city, nickname }), metadata, (error) =>
          error ? reject(error) : resolve(),
        );
      }),
    close: () => client.close(),
  };
}
