import { useCallback, useState } from "react";
import { describeViolation } from "../error-messages.ts";
import type { Team, TeamsApi } from "../teams-api/teams-api.ts";
import { StatusCode, TeamsError } from "../teams-api/teams-error.ts";
import type { Session } from "./use-session.ts";

export type WriteState =
  | { status: "idle" }
  | { status: "saving" }
  | { status: "saved"; message: string }
  /** BadRequest: one sentence per field the server rejected, shown at the field. */
  | { status: "invalid"; fields: Readonly<Record<string, string>> }
  /**
   * Someone else got there first: ABORTED (the team changed since it was read),
   * ALREADY_EXISTS (the city has a team) or NOT_FOUND (it was deleted). `current` is the
   * team as it is now (null when there is none), so the person can retry or discard.
   */
  | { status: "conflict"; current: Team | null; currentVersion: number | null }
  | { status: "failed"; error: TeamsError };

export interface TeamWrite {
  state: WriteState;
  /**
   * Runs one write with the session's token. Resolves with its answer, or null when it
   * failed (the state then says why). Nothing is shown as written until the server says so.
   */
  run<T>(
    city: string,
    write: (token: string) => Promise<T>,
    saved: (answer: T) => string,
  ): Promise<T | null>;
  reset(): void;
}

/** One write at a time from a form, with every way it can fail turned into a state to show. */
export function useTeamWrite(api: TeamsApi, session: Session): TeamWrite {
  const [state, setState] = useState<WriteState>({ status: "idle" });
  const { token, signOut } = session;

  const run = useCallback(
    async <T>(
      city: string,
      write: (token: string) => Promise<T>,
      saved: (answer: T) => string,
    ): Promise<T | null> => {
      if (!token) return null;
      setState({ status: "saving" });
      try {
        const answer = await write(token);
        setState({ status: "saved", message: saved(answer) });
        return answer;
      } catch (thrown) {
        const error = TeamsError.from(thrown);
        const rejected = tokenRejection(error);
        if (rejected) {
          signOut(rejected);
          setState({ status: "idle" });
        } else if (error.code === StatusCode.INVALID_ARGUMENT && error.fieldViolations.length) {
          const fields = Object.fromEntries(
            error.fieldViolations.map((v) => [v.field, describeViolation(v)]),
          );
          setState({ status: "invalid", fields });
        } else if (conflictCodes.has(error.code)) {
          setState({ status: "conflict", ...(await currentTeam(api, city, error)) });
        } else {
          setState({ status: "failed", error });
        }
        return null;
      }
    },
    [api, token, signOut],
  );
  const reset = useCallback(() => setState({ status: "idle" }), []);
  return { state, run, reset };
}

const conflictCodes: ReadonlySet<number> = new Set([
  StatusCode.ABORTED,
  StatusCode.ALREADY_EXISTS,
  StatusCode.NOT_FOUND,
]);

/** The sentence a person reads when the server turned their token away; null otherwise. */
export function tokenRejection(error: TeamsError): string | null {
  if (error.code === StatusCode.UNAUTHENTICATED) {
    return `You were signed out: the server did not accept your token (${error.message}). Sign in again with a fresh token.`;
  }
  if (error.code === StatusCode.PERMISSION_DENIED) {
    return `You were signed out: your token does not allow changes (${error.message}). Sign in with a token that has the teams:write scope.`;
  }
  return null;
}

/** The team as it is now, read again, and the version the server said it is at. */
async function currentTeam(
  api: TeamsApi,
  city: string,
  error: TeamsError,
): Promise<{ current: Team | null; currentVersion: number | null }> {
  const said = Number(error.errorInfo?.metadata.current_version);
  const currentVersion = Number.isSafeInteger(said) && said > 0 ? said : null;
  try {
    const team = await api.getTeam(city);
    return { current: team.found ? team : null, currentVersion: team.found ? team.version : null };
  } catch {
    return { current: null, currentVersion };
  }
}
