// Write load from the driver process over grpc-js with the generated client: PutTeam calls
// kept `concurrency` in flight, and single writes. Every call carries the bench's bearer token.
// (ImportTeams: load/import-stream.ts.)
import { performance } from "node:perf_hooks";
import * as grpc from "@grpc/grpc-js";
import { PutTeamRequest, TeamsClient } from "@teams/server/gen/teams";

function writeClient(
  port: number,
  token: string,
): { client: TeamsClient; metadata: grpc.Metadata } {
  const client = new TeamsClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  const metadata = new grpc.Metadata();
  metadata.set("authorization", `Bearer ${token}`);
  return { client, metadata };
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
