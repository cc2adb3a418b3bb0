// Translates headers between the browser's HTTP/1.1 request and the upstream HTTP/2 call.
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from "node:http";
import type { IncomingHttpHeaders as Http2IncomingHeaders } from "node:http2";
import { upstreamContentType } from "./content-type.ts";
import { maxForwardedHeaders } from "./header-limits.ts";
import * as h from "./headers.ts";
import { Code, GatewayError } from "./status.ts";
import { joinHeaderValue } from "./trailer.ts";

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
  // Headers the browser's Connection header names are hop-by-hop too (RFC 9110 7.6.1).
  const named = new Set(
    (headers.connection ?? "")
      .split(",")
      .map((name) => name.trim().toLowerCase())
      .filter(Boolean),
  );
  let count = 7; // the pseudo-headers above and the three set below
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || named.has(name) || h.requestHeadersNotForwarded.has(name)) continue;
    // An HTTP/2 browser request's own :method, :path, :authority and :scheme (set above).
    if (name.startsWith(":")) continue;
    if (h.requestHeaderPrefixesNotForwarded.some((prefix) => name.startsWith(prefix))) continue;
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
  for (const [name, value] of Object.entries(upstream)) {
    if (value === undefined || name.startsWith(":") || h.responseHeadersNotForwarded.has(name)) {
      continue;
    }
    headers[name] = joinHeaderValue(name, value);
    if (!h.standardResponseHeaders.has(name)) metadataNames.push(name);
  }
  return { headers, metadataNames };
}
