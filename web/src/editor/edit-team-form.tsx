import { type FormEvent, useState } from "react";
import type { Team, TeamsApi } from "../teams-api/teams-api.ts";
import { ConflictNotice } from "./conflict-notice.tsx";
import { TextField } from "./text-field.tsx";
import type { Session } from "./use-session.ts";
import { useTeamWrite } from "./use-team-write.ts";
import { WriteStatus } from "./write-status.tsx";

interface EditTeamFormProps {
  api: TeamsApi;
  session: Session;
  /** The team as the live list shows it when editing starts (the parent keys this by city). */
  team: Team;
  onDeleted: (city: string) => void;
}

/**
 * Changes a team's nickname or deletes it, each conditional on the version the person saw
 * (`if_version`), so a change someone else made meanwhile is never overwritten unseen.
 */
export function EditTeamForm({ api, session, team, onDeleted }: EditTeamFormProps) {
  const write = useTeamWrite(api, session);
  const [nickname, setNickname] = useState(team.nickname);
  const [baseVersion, setBaseVersion] = useState(team.version);
  const [action, setAction] = useState<"save" | "confirm-delete" | "delete">("save");
  const { state } = write;
  const { city } = team;

  const save = async (ifVersion: number): Promise<void> => {
    setAction("save");
    const saved = await write.run(
      city,
      (token) => api.putTeam({ city, nickname, ifVersion }, { token }),
      (answer) => `Saved: ${answer.city} is now ${answer.nickname}.`,
    );
    if (saved) setBaseVersion(saved.version);
  };
  const remove = async (ifVersion: number): Promise<void> => {
    setAction("delete");
    const deleted = await write.run(
      city,
      (token) => api.deleteTeam({ city, ifVersion }, { token }),
      (answer) => `Deleted ${answer.city}.`,
    );
    if (deleted) onDeleted(deleted.city);
  };
  const discard = (): void => {
    if (state.status === "conflict" && state.current) {
      setNickname(state.current.nickname);
      setBaseVersion(state.current.version);
    }
    setAction("save");
    write.reset();
  };
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    void save(baseVersion);
  };

  return (
    <form className="editor-form" aria-label={`Edit ${city}`} onSubmit={submit}>
      <h3>Edit {city}</h3>
      <TextField
        label="Nickname"
        value={nickname}
        onChange={setNickname}
        error={state.status === "invalid" ? state.fields.nickname : undefined}
      />
      {state.status === "conflict" ? (
        <ConflictNotice
          message={
            state.current
              ? `Someone else changed ${city}: it is now "${state.current.nickname}".`
              : `${city} has no team any more: someone deleted it.`
          }
          {...(state.current
            ? {
                retryLabel: action === "delete" ? "Delete anyway" : "Save mine anyway",
                onRetry: () => {
                  const version = state.current?.version ?? 0;
                  void (action === "delete" ? remove(version) : save(version));
                },
              }
            : action === "delete"
              ? {}
              : { retryLabel: "Add it again", onRetry: () => void save(0) })}
          discardLabel={action === "delete" ? "Keep it" : "Discard mine"}
          onDiscard={discard}
        />
      ) : null}
      <WriteStatus state={state} />
      {action === "confirm-delete" ? (
        <fieldset className="confirm">
          <legend>Delete {city} for everyone? This cannot be undone.</legend>
          <button
            type="button"
            className="button button-danger"
            onClick={() => void remove(baseVersion)}
          >
            Yes, delete {city}
          </button>
          <button type="button" className="button button-quiet" onClick={() => setAction("save")}>
            Cancel
          </button>
        </fieldset>
      ) : (
        <div className="editor-actions">
          <button type="submit" className="button" disabled={state.status === "saving"}>
            Save nickname
          </button>
          <button
            type="button"
            className="button button-danger"
            onClick={() => {
              write.reset();
              setAction("confirm-delete");
            }}
          >
            Delete {city}
          </button>
        </div>
      )}
    </form>
  );
}
