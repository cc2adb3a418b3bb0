import type { LiveTeams } from "../hooks/use-live-teams.ts";
import { ConnectionBadge } from "./connection-badge.tsx";

interface TeamListProps {
  live: LiveTeams;
  onPick: (city: string) => void;
}

/**
 * Every team, live from WatchTeams: a change made anywhere shows here at once, briefly
 * highlighted and announced politely. Clicking a team looks it up.
 */
export function TeamList({ live, onPick }: TeamListProps) {
  const { teams, connection, highlighted, announcement } = live;
  return (
    <section className="card team-list" aria-labelledby="all-teams-heading">
      <div className="card-heading">
        <h2 id="all-teams-heading">All teams</h2>
        <ConnectionBadge connection={connection} />
      </div>
      <p className="muted team-count">
        {connection === "connecting" ? "Loading…" : `${teams.length} teams`}
      </p>
      <p className="visually-hidden" aria-live="polite">
        {announcement}
      </p>
      <ul className="teams" aria-label="All teams" aria-busy={connection === "connecting"}>
        {teams.map((team) => (
          <li
            key={team.city}
            className={highlighted.has(team.city.toLowerCase()) ? "team-changed" : undefined}
          >
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
