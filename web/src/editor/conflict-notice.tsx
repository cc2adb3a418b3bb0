interface ConflictNoticeProps {
  /** What happened, with the current value, e.g. `Someone else changed Chicago: it is now "Bears".` */
  message: string;
  /** e.g. "Save mine anyway"; absent when retrying makes no sense. */
  retryLabel?: string;
  discardLabel: string;
  onRetry?: () => void;
  onDiscard: () => void;
}

/** A write that lost a race: the current value, and the choice to retry or discard. */
export function ConflictNotice({
  message,
  retryLabel,
  discardLabel,
  onRetry,
  onDiscard,
}: ConflictNoticeProps) {
  return (
    <div role="alert" className="alert conflict">
      <div>
        <p className="alert-title">Someone else got there first</p>
        <p className="alert-detail">{message}</p>
      </div>
      <div className="conflict-actions">
        {retryLabel && onRetry ? (
          <button type="button" className="button" onClick={onRetry}>
            {retryLabel}
          </button>
        ) : null}
        <button type="button" className="button button-quiet" onClick={onDiscard}>
          {discardLabel}
        </button>
      </div>
    </div>
  );
}
