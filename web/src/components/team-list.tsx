import type { TeamStream } from "../hooks/use-team-stream.ts";
import { ErrorAlert } from "./error-alert.tsx";

interface TeamListProps {
  stream: TeamStream;
  onPick: (city: string) => void;
}

/** Every team, streamed in from ListTeams as the server sends them; clicking one looks it up. */
export function TeamList({ stream, onPick }: TeamListProps) {
  const { teams, status, error, reload } = stream;
  return (
    <section className="card team-list" aria-labelledby="all-teams-heading">
      <div className="card-heading">
        <h2 id="all-teams-heading">All teams</h2>
        <p className="muted" aria-live="polite">
          {status === "streaming" ? `Streaming… ${teams.length}` : `${teams.length} teams`}
        </p>
      </div>
      {error ? <ErrorAlert error={error} onRetry={reload} retryLabel="Reload list" /> : null}
      <ul className="teams" aria-label="All teams" aria-busy={status === "streaming"}>
        {teams.map((team) => (
          <li key={team.city}>
            <button type="button" className="team-button" onClick={() => onPick(team.city)}>
              <span className="team-button-city">{team.city}</span>
              <span className="team-button-nickname">{team.nickname}</span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
