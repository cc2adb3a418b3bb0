// Translates headers between the browser's HTTP/1.1 request and the upstream HTTP/2 call.
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from "node:http";
import type { IncomingHttpHeaders as Http2IncomingHeaders } from "node:http2";
import { upstreamContentType } from "./content-type.ts";
import { maxForwardedHeaders } from "./header-limits.ts";
import * as h from "./headers.ts";
import { Code, GatewayError } from "./status.ts";
import { joinHeaderValue } from "./trailer.ts";

const colon = 0x3a;

/**
 * Headers the browser's Connection header names are hop-by-hop too (RFC 9110 7.6.1);
 * undefined when it names none but the usual keep-alive or close.
 */
function connectionNamed(connection: string | undefined): ReadonlySet<string> | undefined {
  if (connection === undefined) return undefined;
  const usual = connection.toLowerCase();
  if (usual === "keep-alive" || usual === "close") return undefined;
  return new Set(
    usual
      .split(",")
      .map((name) => name.trim())
      .filter(Boolean),
  );
}

function notForwardedPrefix(name: string): boolean {
  for (const prefix of h.requestHeaderPrefixesNotForwarded) {
    if (name.startsWith(prefix)) return true;
  }
  return false;
}

/** Headers for the upstream gRPC call: metadata kept, browser and HTTP/1.1 plumbing dropped. */
export function toUpstreamHeaders(
  path: string,
  authority: string,
  headers: IncomingHttpHeaders,
): OutgoingHttpHeaders {
  const upstream: OutgoingHttpHeaders = {
    ":method": "POST",
    ":scheme": "http",
    ":path": path,
    ":authority": authority,
  };
  const named = connectionNamed(headers.connection);
  let count = 7; // the pseudo-headers above and the three set below
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined || h.requestHeadersNotForwarded.has(name)) continue;
    if (named?.has(name)) continue;
    // An HTTP/2 browser request's own :method, :path, :authority and :scheme (set above).
    if (name.charCodeAt(0) === colon || notForwardedPrefix(name)) continue;
    upstream[name] = value;
    count += 1;
  }
  if (count > maxForwardedHeaders) {
    throw new GatewayError(
      Code.RESOURCE_EXHAUSTED,
      `the call carries ${count} headers; the gateway forwards at most ${maxForwardedHeaders} (metadata included): send fewer metadata entries`,
    );
  }
  upstream[h.contentType] = upstreamContentType(headers[h.contentType]);
  upstream[h.te] = "trailers";
  // grpc-web cannot inflate compressed frames, so ask the server for none (as Envoy does).
  upstream[h.grpcAcceptEncoding] = "identity";
  return upstream;
}

export interface BrowserHeaders {
  readonly headers: Record<string, string>;
  /** Custom metadata names, to expose to the page through CORS. */
  readonly metadataNames: string[];
}

/** Upstream response headers (or trailers-only headers) as HTTP/1.1 response headers. */
export function toBrowserHeaders(upstream: Http2IncomingHeaders): BrowserHeaders {
  const headers: Record<string, string> = {};
  const metadataNames: string[] = [];
  for (const name in upstream) {
    const value = upstream[name];
    if (value === undefined || name.charCodeAt(0) === colon) continue;
    if (h.responseHeadersNotForwarded.has(name)) continue;
    headers[name] = joinHeaderValue(name, value);
    if (!h.standardResponseHeaders.has(name)) metadataNames.push(name);
  }
  return { headers, metadataNames };
}
