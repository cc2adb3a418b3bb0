import { cityViolation } from "../error-messages.ts";
import type { LookupState } from "../hooks/use-lookup.ts";
import { ErrorAlert } from "./error-alert.tsx";

interface LookupResultProps {
  state: LookupState;
  onRetry: () => void;
}

/** The answer to the last lookup, in a box of fixed height so nothing jumps as it arrives. */
export function LookupResult({ state, onRetry }: LookupResultProps) {
  return (
    <section className="result" aria-label="Result" aria-live="polite">
      <ResultBody state={state} onRetry={onRetry} />
    </section>
  );
}

function ResultBody({ state, onRetry }: LookupResultProps) {
  switch (state.status) {
    case "idle":
      return <p className="muted">Type a city above, or pick one from the list of all teams.</p>;
    case "loading":
      return (
        <p role="status" className="muted">
          Looking up {state.city.trim() || "the city"}…
        </p>
      );
    case "done":
      return (
        <div className="team">
          <p className="team-city">{state.team.city}</p>
          <p className={state.team.found ? "team-nickname" : "team-nickname team-missing"}>
            {state.team.nickname}
          </p>
        </div>
      );
    case "failed":
      // A rejected city is explained at the input instead, where it can be fixed.
      if (cityViolation(state.error)) {
        return <p className="muted">Fix the city above, then look it up again.</p>;
      }
      return <ErrorAlert error={state.error} onRetry={onRetry} />;
  }
}
