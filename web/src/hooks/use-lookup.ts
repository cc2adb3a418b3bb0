import { useCallback, useEffect, useRef, useState } from "react";
import type { Team, TeamsApi } from "../teams-api/teams-api.ts";
import { TeamsError } from "../teams-api/teams-error.ts";

export type LookupState =
  | { status: "idle" }
  | { status: "loading"; city: string }
  | { status: "done"; team: Team }
  | { status: "failed"; city: string; error: TeamsError };

export interface Lookup {
  state: LookupState;
  lookup(city: string): void;
  /** Repeats the last lookup, e.g. after the service came back. */
  retry(): void;
}

/** One GetTeam at a time: a new lookup cancels the one still running, so answers never cross. */
export function useLookup(api: TeamsApi): Lookup {
  const [state, setState] = useState<LookupState>({ status: "idle" });
  const running = useRef<AbortController | null>(null);
  const lastCity = useRef<string | null>(null);

  const lookup = useCallback(
    (city: string) => {
      running.current?.abort();
      const controller = new AbortController();
      running.current = controller;
      lastCity.current = city;
      setState({ status: "loading", city });
      api.getTeam(city, { signal: controller.signal }).then(
        (team) => {
          if (!controller.signal.aborted) setState({ status: "done", team });
        },
        (error: unknown) => {
          if (!controller.signal.aborted) {
            setState({ status: "failed", city, error: TeamsError.from(error) });
          }
        },
      );
    },
    [api],
  );

  const retry = useCallback(() => {
    if (lastCity.current !== null) lookup(lastCity.current);
  }, [lookup]);

  useEffect(() => () => running.current?.abort(), []);

  return { state, lookup, retry };
}
