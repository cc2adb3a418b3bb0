import { useMemo, useState } from "react";
import { CallPanel } from "./components/call-panel";
import { LookupResult } from "./components/lookup-result";
import { SearchForm } from "./components/search-form";
import { TeamList } from "./components/team-list";
import { cityViolation } from "./error-messages";
import { useCallLog } from "./hooks/use-call-log";
import { useLookup } from "./hooks/use-lookup";
import { useTeamStream } from "./hooks/use-team-stream";
import { defaultTeamsApi } from "./teams-api/default-teams-api";
import { withCallRecording } from "./teams-api/recorded-teams-api";
import type { TeamsApi } from "./teams-api/teams-api";

export interface AppProps {
  /** The Teams service; tests pass a fake. Defaults to gRPC-Web on the page's origin. */
  client?: TeamsApi;
}

const ALL_TEAMS = { prefix: "" };

export function App({ client = defaultTeamsApi() }: AppProps) {
  const { calls, record } = useCallLog();
  // Every call goes through the recorder, so the call panel sees them all.
  const api = useMemo(() => withCallRecording(client, record), [client, record]);
  const [city, setCity] = useState("");
  const { state, lookup, retry } = useLookup(api);
  const allTeams = useTeamStream(api, ALL_TEAMS);
  const violation = state.status === "failed" ? cityViolation(state.error) : null;

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
        <TeamList stream={allTeams} onPick={lookupCity} />
        <CallPanel calls={calls} />
      </main>
    </div>
  );
}
