/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** The gRPC-Web endpoint, when it is not the page's own origin. */
  readonly VITE_TEAMS_URL?: string;
}
