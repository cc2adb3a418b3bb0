import { useEffect, useState } from "react";
import { type Connection, startLiveTeams, type TeamChange } from "../live/live-teams.ts";
import type { Team, TeamsApi } from "../teams-api/teams-api.ts";

/** How long a changed row stays highlighted. */
export const highlightMs = 2_000;

export interface LiveTeams {
  /** Every team under the prefix, in city order, as of the latest change applied. */
  teams: readonly Team[];
  connection: Connection;
  /** Cities changed in the last moments (lower case), shown highlighted. */
  highlighted: ReadonlySet<string>;
  /** The latest changes in a sentence, for a polite live region. */
  announcement: string;
}

/** The teams under `prefix`, live from WatchTeams (see startLiveTeams), for a component. */
export function useLiveTeams(api: TeamsApi, prefix = ""): LiveTeams {
  const [teams, setTeams] = useState<readonly Team[]>([]);
  const [connection, setConnection] = useState<Connection>("connecting");
  const [highlighted, setHighlighted] = useState<ReadonlySet<string>>(new Set());
  const [announcement, setAnnouncement] = useState("");

  useEffect(() => {
    const timers = new Set<ReturnType<typeof setTimeout>>();
    const unhighlight = (cities: readonly string[]): void =>
      setHighlighted((shown) => new Set([...shown].filter((city) => !cities.includes(city))));
    const stop = startLiveTeams(
      api,
      prefix,
      {
        teams(next, changes) {
          setTeams(next);
          if (changes.length === 0) return;
          setAnnouncement(changes.map(describeChange).join(" "));
          const cities = changes.map(changedCity);
          setHighlighted((shown) => new Set([...shown, ...cities]));
          const timer = setTimeout(() => {
            timers.delete(timer);
            unhighlight(cities);
          }, highlightMs);
          timers.add(timer);
        },
        connection: setConnection,
      },
      { network: window },
    );
    return () => {
      stop();
      for (const timer of timers) clearTimeout(timer);
    };
  }, [api, prefix]);

  return { teams, connection, highlighted, announcement };
}

function changedCity(change: TeamChange): string {
  return (change.kind === "removed" ? change.city : change.team.city).toLowerCase();
}

/** "Denver Nuggets added.", "Chicago is now Bears.", "Detroit removed." */
export function describeChange(change: TeamChange): string {
  switch (change.kind) {
    case "added":
      return `${change.team.city} ${change.team.nickname} added.`;
    case "changed":
      return `${change.team.city} is now ${change.team.nickname}.`;
    case "removed":
      return `${change.city} removed.`;
  }
}
