// The answer to a request whose handling threw: that request ends, the gateway keeps serving.

import type { IncomingMessage, ServerResponse } from "node:http";
import { traceIdOf } from "@teams/server/trace-context";
import { responseContentType, wantsTextResponse } from "./content-type.ts";
import * as h from "./headers.ts";
import type { Logger } from "./logger.ts";
import { Code } from "./status.ts";
import { encodeGrpcMessage } from "./trailer.ts";

/**
 * Logs `error` and ends the request: a gRPC-Web call gets grpc-status 13 (INTERNAL), any
 * other request a 500; an answer already under way is cut (the client sees it aborted).
 */
export function answerFault(
  req: IncomingMessage,
  res: ServerResponse,
  error: unknown,
  logger: Logger,
  grpcWeb: boolean,
): void {
  try {
    logger.error("request failed in the gateway", {
      method: req.method,
      path: req.url,
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      ...traceIdOf(req.headers.traceparent),
    });
  } catch {
    // A failing logger must not take the answer down with it.
  }
  if (res.headersSent || res.writableEnded) {
    if (!res.writableEnded) res.destroy();
    return;
  }
  try {
    const message = "the gateway failed while answering this request; see its log";
    if (grpcWeb) {
      res.writeHead(200, {
        [h.grpcStatus]: String(Code.INTERNAL),
        [h.grpcMessage]: encodeGrpcMessage(message),
        [h.contentType]: responseContentType(wantsTextResponse(req.headers.accept)),
        "content-length": "0",
      });
    } else {
      res.writeHead(500, { "content-type": "text/plain; charset=utf-8" });
    }
    res.end(grpcWeb ? undefined : `${message}\n`);
  } catch {
    res.destroy();
  }
}
