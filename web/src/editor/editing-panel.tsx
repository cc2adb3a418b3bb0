import { useState } from "react";
import type { Team, TeamsApi } from "../teams-api/teams-api.ts";
import { AddTeamForm } from "./add-team-form.tsx";
import { EditTeamForm } from "./edit-team-form.tsx";
import { SignInDialog } from "./sign-in-dialog.tsx";
import { useSession } from "./use-session.ts";

export interface EditingPanelProps {
  api: TeamsApi;
  /** The team picked in the list or looked up, as the live list shows it; null for none. */
  selected: Team | null;
}

/**
 * Sign in and out, and for a signed-in person: add a team, rename or delete the one picked.
 * Loaded on demand (import()), so the first load stays within its budget.
 */
export default function EditingPanel({ api, selected }: EditingPanelProps) {
  const session = useSession();
  const [dialogOpen, setDialogOpen] = useState(false);
  const [deleted, setDeleted] = useState<string | null>(null);

  return (
    <section className="card editor" aria-labelledby="editor-heading">
      <div className="card-heading">
        <h2 id="editor-heading">Edit teams</h2>
        {session.token ? (
          <button type="button" className="button button-quiet" onClick={() => session.signOut()}>
            Sign out
          </button>
        ) : (
          <button type="button" className="button" onClick={() => setDialogOpen(true)}>
            Sign in
          </button>
        )}
      </div>
      {session.notice ? (
        <p role="alert" className="alert">
          {session.notice}
        </p>
      ) : null}
      {session.token ? (
        <>
          <p className="muted">Signed in. Changes reach every open page at once.</p>
          {selected ? (
            <EditTeamForm
              key={selected.city}
              api={api}
              session={session}
              team={selected}
              onDeleted={setDeleted}
            />
          ) : (
            <p className="muted">Pick a team in the list to rename or delete it.</p>
          )}
          {deleted && !selected ? <p role="status">Deleted {deleted}.</p> : null}
          <AddTeamForm api={api} session={session} />
        </>
      ) : (
        <p className="muted">Sign in to add, rename or delete teams.</p>
      )}
      {dialogOpen ? (
        <SignInDialog
          onSignIn={(token) => {
            session.signIn(token);
            setDialogOpen(false);
          }}
          onCancel={() => setDialogOpen(false)}
        />
      ) : null}
    </section>
  );
}
