import type { Connection } from "../live/live-teams.ts";

const labels: Record<Connection, string> = {
  connecting: "connecting…",
  live: "live",
  reconnecting: "reconnecting…",
};

/** The state of the list's WatchTeams stream, in a word, read out politely when it changes. */
export function ConnectionBadge({ connection }: { connection: Connection }) {
  return (
    <p className={`connection connection-${connection}`} role="status">
      <span className="connection-dot" aria-hidden="true" />
      {labels[connection]}
    </p>
  );
}
