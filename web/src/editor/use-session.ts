import { useCallback, useState } from "react";

/** Where the token lives: this tab only, gone when the tab closes (never localStorage). */
export const tokenStorageKey = "teams.token";

export interface Session {
  /** The bearer token writes carry; null when signed out. */
  token: string | null;
  /** Why the person was signed out, e.g. the server rejected the token; null otherwise. */
  notice: string | null;
  signIn(token: string): void;
  signOut(notice?: string): void;
}

/** The signed-in person's token, kept in sessionStorage so a reload keeps them signed in. */
export function useSession(): Session {
  const [token, setToken] = useState(() => sessionStorage.getItem(tokenStorageKey));
  const [notice, setNotice] = useState<string | null>(null);
  const signIn = useCallback((pasted: string) => {
    // People paste what they have: a bare token or a whole "Bearer …" header value.
    const bare = pasted.trim().replace(/^bearer\s+/i, "");
    sessionStorage.setItem(tokenStorageKey, bare);
    setToken(bare);
    setNotice(null);
  }, []);
  const signOut = useCallback((why?: string) => {
    sessionStorage.removeItem(tokenStorageKey);
    setToken(null);
    setNotice(why ?? null);
  }, []);
  return { token, notice, signIn, signOut };
}
