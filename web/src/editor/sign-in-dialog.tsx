import { type FormEvent, useEffect, useId, useRef, useState } from "react";

interface SignInDialogProps {
  onSignIn: (token: string) => void;
  onCancel: () => void;
}

/** A modal dialog where a person pastes a token; Escape or Cancel closes it. */
export function SignInDialog({ onSignIn, onCancel }: SignInDialogProps) {
  const ids = useId();
  const [token, setToken] = useState("");
  const [missing, setMissing] = useState(false);
  const field = useRef<HTMLTextAreaElement>(null);
  useEffect(() => field.current?.focus(), []);

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    if (token.trim() === "") setMissing(true);
    else onSignIn(token);
  };

  return (
    <div className="dialog-backdrop">
      <div
        role="dialog"
        aria-modal="true"
        aria-labelledby={`${ids}-title`}
        aria-describedby={`${ids}-how`}
        className="card dialog"
        onKeyDown={(event) => {
          if (event.key === "Escape") onCancel();
        }}
      >
        <h2 id={`${ids}-title`}>Sign in to edit teams</h2>
        <p id={`${ids}-how`} className="muted">
          Paste a token. Locally, <code>npm run token</code> in the repository prints one; in
          production your identity provider issues it. It stays in this tab only.
        </p>
        <form onSubmit={submit} className="dialog-form">
          <label htmlFor={`${ids}-token`} className="label">
            Token
          </label>
          <textarea
            ref={field}
            id={`${ids}-token`}
            className="input token-input"
            rows={4}
            spellCheck={false}
            value={token}
            onChange={(event) => {
              setToken(event.target.value);
              setMissing(false);
            }}
            aria-invalid={missing ? true : undefined}
            aria-describedby={missing ? `${ids}-missing` : undefined}
          />
          {missing ? (
            <p id={`${ids}-missing`} className="field-error" role="alert">
              Paste a token first.
            </p>
          ) : null}
          <div className="dialog-actions">
            <button type="submit" className="button">
              Sign in
            </button>
            <button type="button" className="button button-quiet" onClick={onCancel}>
              Cancel
            </button>
          </div>
        </form>
      </div>
    </div>
  );
}
