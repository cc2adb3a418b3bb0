import { useCallback, useEffect, useState } from "react";
import type { ListTeamsQuery, Team, TeamsApi } from "../teams-api/teams-api.ts";
import { TeamsError } from "../teams-api/teams-error.ts";

export interface TeamStream {
  /** The teams received so far, in the order the server sent them. */
  teams: readonly Team[];
  status: "idle" | "streaming" | "done" | "failed";
  error: TeamsError | null;
  /** Opens the stream again from the start. */
  reload(): void;
}

/** The abort reason of a stream a newer query replaced; the call panel shows it. */
export const staleStream = "stale";

/**
 * Streams ListTeams for `query` into state, one team at a time as messages arrive. A new
 * query (or unmounting) cancels the previous stream at once, so a slow old answer can never
 * overwrite a newer one; the new stream starts only once the query has held still for
 * `debounceMs`, so typing a word makes one call, not one per keystroke. `query: null`
 * streams nothing.
 */
export function useTeamStream(
  api: TeamsApi,
  query: ListTeamsQuery | null,
  debounceMs = 0,
): TeamStream {
  const [teams, setTeams] = useState<readonly Team[]>([]);
  const [status, setStatus] = useState<TeamStream["status"]>("idle");
  const [error, setError] = useState<TeamsError | null>(null);
  const [attempt, setAttempt] = useState(0);
  const prefix = query?.prefix;
  const limit = query?.limit;

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` changes only to make reload() reopen the stream.
  useEffect(() => {
    setTeams([]);
    setError(null);
    if (prefix === undefined) {
      setStatus("idle");
      return;
    }
    setStatus("streaming");
    const controller = new AbortController();
    const { signal } = controller;
    const run = async (): Promise<void> => {
      try {
        for await (const team of api.listTeams({ prefix, limit }, { signal })) {
          if (signal.aborted) return;
          setTeams((received) => [...received, team]);
        }
        if (!signal.aborted) setStatus("done");
      } catch (thrown) {
        if (signal.aborted) return;
        setError(TeamsError.from(thrown));
        setStatus("failed");
      }
    };
    const timer = debounceMs > 0 ? setTimeout(run, debounceMs) : undefined;
    if (timer === undefined) void run();
    return () => {
      clearTimeout(timer);
      controller.abort(staleStream);
    };
  }, [api, prefix, limit, attempt, debounceMs]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  return { teams, status, error, reload };
}
