import { ErrorAlert } from "../components/error-alert.tsx";
import type { WriteState } from "./use-team-write.ts";

/** "Saving…", what was saved, or a failure that is not a field error or a conflict. */
export function WriteStatus({ state }: { state: WriteState }) {
  if (state.status === "saving") {
    return (
      <p role="status" className="muted">
        Saving…
      </p>
    );
  }
  if (state.status === "saved") {
    return (
      <p role="status" className="write-saved">
        {state.message}
      </p>
    );
  }
  if (state.status === "failed") return <ErrorAlert error={state.error} />;
  return null;
}
