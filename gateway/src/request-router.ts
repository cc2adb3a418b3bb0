// Decides what each request gets, in order: malformed requests and unknown hosts are
// refused, CORS preflights answered, gRPC-Web calls from allowed origins to forwarded
// services relayed, GET/HEAD served from the built page, the rest refused with the reason.
import type { IncomingMessage, ServerResponse } from "node:http";
import { type HostPolicy, isHostAllowed } from "./allowed-hosts.ts";
import { parseRequestFormat, type RequestFormat, wantsTextResponse } from "./content-type.ts";
import { type CorsPolicy, isOriginAllowed } from "./cors.ts";
import { isServiceForwarded, type ServicePolicy, serviceOfPath } from "./gateway-services.ts";
import { headerListBytes, headerListTooLarge, maxHeaderListBytes } from "./header-limits.ts";
import type { Logger } from "./logger.ts";
import { actualCorsHeaders, plain, preflight, trailersOnly } from "./plain-answers.ts";
import { answerFault } from "./request-fault.ts";
import { Code } from "./status.ts";

export interface RouterPolicies {
  readonly cors: CorsPolicy;
  readonly hosts: HostPolicy;
  readonly services: ServicePolicy;
  readonly logger: Logger;
}

export interface RouterTargets {
  /** A gRPC-Web call to relay; `corsHeaders` gives the CORS headers for its answer. */
  call(
    req: IncomingMessage,
    res: ServerResponse,
    format: RequestFormat,
    corsHeaders: (metadataNames: readonly string[]) => Record<string, string>,
  ): void;
  /** GET/HEAD for the page. */
  page(req: IncomingMessage, res: ServerResponse): void;
  /** True while the gateway drains: calls are refused, connections not kept. */
  draining(): boolean;
}

const none: Record<string, string> = Object.freeze({});
const noCorsHeaders = (): Record<string, string> => none;

/** The request handler. Whatever throws in it ends that request only (see request-fault.ts). */
export function createRequestRouter(
  policies: RouterPolicies,
  targets: RouterTargets,
): (req: IncomingMessage, res: ServerResponse) => void {
  const route = (req: IncomingMessage, res: ServerResponse): void => {
    if (targets.draining()) res.shouldKeepAlive = false;
    const host = req.headers.host;
    if (req.httpVersionMajor === 0) {
      res.shouldKeepAlive = false;
      plain(
        res,
        400,
        `${req.method} ${req.url}: the request line needs an HTTP version (HTTP/1.1)`,
      );
      return;
    }
    if (host === undefined && req.httpVersion === "1.1") {
      res.setHeader("connection", "close");
      plain(res, 400, `${req.method} ${req.url}: HTTP/1.1 requests must carry a Host header`);
      return;
    }
    if (host !== undefined && !isHostAllowed(policies.hosts, host)) {
      plain(
        res,
        403,
        `Host ${JSON.stringify(host)} is not one this gateway answers; add it to ALLOWED_HOSTS`,
      );
      return;
    }
    if (req.httpVersionMajor === 2) {
      const bytes = headerListBytes(req);
      if (bytes > maxHeaderListBytes) {
        const message = headerListTooLarge(bytes);
        if (parseRequestFormat(req.headers["content-type"]) && req.method === "POST") {
          const textOut = wantsTextResponse(req.headers.accept);
          trailersOnly(res, Code.RESOURCE_EXHAUSTED, message, textOut, {}, true);
        } else plain(res, 431, message);
        return;
      }
    }
    if (req.method === "OPTIONS") {
      preflight(req, res, policies.cors);
      return;
    }
    const format = parseRequestFormat(req.headers["content-type"]);
    if (format && req.method === "POST") {
      routeCall(req, res, format);
      return;
    }
    if (req.method === "POST") {
      plain(
        res,
        415,
        `POST ${req.url}: content-type ${JSON.stringify(req.headers["content-type"] ?? "")} is not gRPC-Web; send application/grpc-web(+proto) or application/grpc-web-text(+proto)`,
      );
      return;
    }
    if (format || (req.method !== "GET" && req.method !== "HEAD")) {
      res.setHeader("allow", format ? "POST, OPTIONS" : "GET, HEAD, POST, OPTIONS");
      plain(
        res,
        405,
        `${req.method} ${req.url}: ${format ? "gRPC-Web calls must be POST" : "method not allowed"}`,
      );
      return;
    }
    targets.page(req, res);
  };

  const routeCall = (req: IncomingMessage, res: ServerResponse, format: RequestFormat): void => {
    const origin = req.headers.origin;
    if (origin !== undefined && !isOriginAllowed(policies.cors, origin, req.headers.host)) {
      // Refused before anything is forwarded: the page could not read the answer, but a
      // write would still have happened.
      res.setHeader("vary", "Origin");
      res.shouldKeepAlive = false;
      plain(res, 403, `CORS: origin ${origin} may not call this gateway; add it to CORS_ORIGINS`);
      return;
    }
    const corsHeaders =
      origin === undefined
        ? noCorsHeaders
        : (names: readonly string[]) => actualCorsHeaders(origin, names);
    const path = req.url ?? "/";
    if (targets.draining() || !isServiceForwarded(policies.services, path)) {
      const [code, message] = targets.draining()
        ? [Code.UNAVAILABLE, "the gateway is shutting down; retry on another instance"]
        : [
            Code.UNIMPLEMENTED,
            `service ${JSON.stringify(serviceOfPath(path))} is not served by this gateway; add it to GATEWAY_SERVICES`,
          ];
      trailersOnly(
        res,
        code,
        message,
        wantsTextResponse(req.headers.accept),
        corsHeaders([]),
        true,
      );
      return;
    }
    targets.call(req, res, format, corsHeaders);
  };

  return (req, res) => {
    try {
      route(req, res);
    } catch (error) {
      const grpcWeb = parseRequestFormat(req.headers["content-type"]) !== undefined;
      answerFault(req, res, error, policies.logger, grpcWeb);
    }
  };
}
