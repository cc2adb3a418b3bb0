// What the call path needs from the upstream: its name for messages, and a way to start
// a call. The pool (upstream-pool/) provides it; a retry of a call the server never
// started simply calls request() again.

import type { OutgoingHttpHeaders } from "node:http";
import type { ClientHttp2Stream } from "node:http2";

export type { UpstreamTlsOptions } from "./upstream-pool/index.ts";

export interface UpstreamSession {
  readonly address: string;
  request(headers: OutgoingHttpHeaders): ClientHttp2Stream;
}
