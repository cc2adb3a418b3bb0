import { useMemo, useState } from "react";
import { CallPanel } from "./components/call-panel.tsx";
import { LookupResult } from "./components/lookup-result.tsx";
import { SearchForm } from "./components/search-form.tsx";
import { TeamList } from "./components/team-list.tsx";
import { cityViolation } from "./error-messages.ts";
import { useCallLog } from "./hooks/use-call-log.ts";
import { useLookup } from "./hooks/use-lookup.ts";
import { useTeamStream } from "./hooks/use-team-stream.ts";
import { defaultTeamsApi } from "./teams-api/default-teams-api.ts";
import { withCallRecording } from "./teams-api/recorded-teams-api.ts";
import type { TeamsApi } from "./teams-api/teams-api.ts";

export interface AppProps {
  /** The Teams service; tests pass a fake. Defaults to gRPC-Web on the page's origin. */
  client?: TeamsApi;
}

const allTeamsRequest = { prefix: "" };

export function App({ client = defaultTeamsApi() }: AppProps) {
  const { calls, record } = useCallLog();
  // Every call goes through the recorder, so the call panel sees them all.
  const api = useMemo(() => withCallRecording(client, record), [client, record]);
  const [city, setCity] = useState("");
  const { state, lookup, retry } = useLookup(api);
  const allTeams = useTeamStream(api, allTeamsRequest);
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
