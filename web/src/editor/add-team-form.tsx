import { type FormEvent, useState } from "react";
import type { TeamsApi } from "../teams-api/teams-api.ts";
import { ConflictNotice } from "./conflict-notice.tsx";
import { TextField } from "./text-field.tsx";
import type { Session } from "./use-session.ts";
import { useTeamWrite } from "./use-team-write.ts";
import { WriteStatus } from "./write-status.tsx";

interface AddTeamFormProps {
  api: TeamsApi;
  session: Session;
}

/**
 * Adds a team with PutTeam `if_version: 0` (only if the city has none). The list shows the
 * new team when the watch brings it, never before the server accepted it.
 */
export function AddTeamForm({ api, session }: AddTeamFormProps) {
  const write = useTeamWrite(api, session);
  const [city, setCity] = useState("");
  const [nickname, setNickname] = useState("");
  const { state } = write;
  const fields = state.status === "invalid" ? state.fields : {};

  const put = async (ifVersion: number): Promise<void> => {
    const added = await write.run(
      city,
      (token) => api.putTeam({ city, nickname, ifVersion }, { token }),
      (team) => `Saved: ${team.city} ${team.nickname}.`,
    );
    if (added) {
      setCity("");
      setNickname("");
    }
  };
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    void put(0);
  };

  return (
    <form className="editor-form" aria-label="Add a team" onSubmit={submit}>
      <h3>Add a team</h3>
      <TextField label="New city" value={city} onChange={setCity} error={fields.city} />
      <TextField
        label="New nickname"
        value={nickname}
        onChange={setNickname}
        error={fields.nickname}
      />
      {state.status === "conflict" ? (
        <ConflictNotice
          message={
            state.current
              ? `${state.current.city} already has a team: "${state.current.nickname}".`
              : `${city} was taken a moment ago and is free again.`
          }
          retryLabel={state.current ? "Replace it with mine" : "Add mine"}
          onRetry={() => void put(state.current?.version ?? 0)}
          discardLabel="Discard mine"
          onDiscard={() => {
            setCity("");
            setNickname("");
            write.reset();
          }}
        />
      ) : null}
      <WriteStatus state={state} />
      <button type="submit" className="button" disabled={state.status === "saving"}>
        Add team
      </button>
    </form>
  );
}
