import { describeError } from "../error-messages.ts";
import type { TeamsError } from "../teams-api/teams-error.ts";

interface ErrorAlertProps {
  error: TeamsError;
  /** Shown as a button when the error is one that trying again can fix. */
  onRetry?: () => void;
  retryLabel?: string;
}

/** A failed call, in words a person understands, announced to screen readers at once. */
export function ErrorAlert({ error, onRetry, retryLabel = "Retry" }: ErrorAlertProps) {
  const { title, detail, retryable } = describeError(error);
  return (
    <div role="alert" className="alert">
      <div>
        <p className="alert-title">{title}</p>
        <p className="alert-detail">{detail}</p>
      </div>
      {retryable && onRetry ? (
        <button type="button" className="button button-secondary" onClick={onRetry}>
          {retryLabel}
        </button>
      ) : null}
    </div>
  );
}
