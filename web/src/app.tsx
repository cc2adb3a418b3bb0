import { lazy, Suspense, useMemo, useState } from "react";
import { CallPanel } from "./components/call-panel.tsx";
import { LookupResult } from "./components/lookup-result.tsx";
import { SearchForm } from "./components/search-form.tsx";
import { TeamList } from "./components/team-list.tsx";
import { cityViolation } from "./error-messages.ts";
import { useCallLog } from "./hooks/use-call-log.ts";
import { useLiveTeams } from "./hooks/use-live-teams.ts";
import { useLookup } from "./hooks/use-lookup.ts";
import { defaultTeamsApi } from "./teams-api/default-teams-api.ts";
import { withCallRecording } from "./teams-api/recorded-teams-api.ts";
import type { TeamsApi } from "./teams-api/teams-api.ts";

// Signing in and editing load on demand: most visits only read, and the first load has a budget.
// biome-ignore lint/style/useNamingConvention: a React component is named in PascalCase.
const EditingPanel = lazy(() => import("./editor/editing-panel.tsx"));

export interface AppProps {
  /** The Teams service; tests pass a fake. Defaults to gRPC-Web on the page's origin. */
  client?: TeamsApi;
}

export function App({ client = defaultTeamsApi() }: AppProps) {
  const { calls, record } = useCallLog();
  // Every call goes through the recorder, so the call panel sees them all.
  const api = useMemo(() => withCallRecording(client, record), [client, record]);
  const [city, setCity] = useState("");
  const { state, lookup, retry } = useLookup(api);
  const allTeams = useLiveTeams(api);
  const violation = state.status === "failed" ? cityViolation(state.error) : null;
  // The team to edit: the one looked up, as the live list shows it now.
  const picked = state.status === "done" && state.team.found ? state.team.city.toLowerCase() : null;
  const selected = allTeams.teams.find((team) => team.city.toLowerCase() === picked) ?? null;

  const lookupCity = (picked: string): void => {
    setCity(picked);
    lookup(picked);
  };

  return (
    <div className="page">
      <header className="masthead">
        <h1>Teams</h1>
        <p className="muted">
          Look up the sports team of a city. Every answer travels over gRPC-Web.
        </p>
      </header>
      <main className="layout">
        <div className="card finder">
          <SearchForm
            api={api}
            value={city}
            onValueChange={setCity}
            onSearch={lookup}
            violation={violation}
          />
          <LookupResult state={state} onRetry={retry} />
        </div>
        <TeamList live={allTeams} onPick={lookupCity} />
        <Suspense fallback={null}>
          <EditingPanel api={api} selected={selected} />
        </Suspense>
        <CallPanel calls={calls} />
      </main>
    </div>
  );
}
