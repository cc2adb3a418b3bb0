// Least-request balancing with the power of two choices (Envoy's LEAST_REQUEST): pick two
// endpoints at random and send the call to the one with fewer calls open. Round robin
// counts calls, not their length: a long WatchTeams or ListTeams stream on one replica
// weighs as much as a 1 ms unary call, so replicas holding long streams get overloaded.

import type { Endpoint } from "./endpoint.ts";

export function pickEndpoint(
  candidates: readonly Endpoint[],
  random: () => number = Math.random,
): Endpoint | undefined {
  if (candidates.length <= 1) return candidates[0];
  const first = Math.floor(random() * candidates.length);
  let second = Math.floor(random() * (candidates.length - 1));
  if (second >= first) second += 1;
  const a = candidates[first] as Endpoint;
  const b = candidates[second] as Endpoint;
  const load = (endpoint: Endpoint): number => endpoint.sessions.openStreams;
  return load(b) < load(a) ? b : a;
}
