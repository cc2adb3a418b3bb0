// Which gRPC-Web wire format a request uses and which one the answer must use.

/** The gRPC-Web request content types (grpc/grpc doc/PROTOCOL-WEB.md). */
const grpcWebContentType = /^application\/grpc-web(-text)?(\+proto)?$/;

export interface RequestFormat {
  /** Base64 body (`application/grpc-web-text`) instead of raw frames. */
  readonly text: boolean;
}

const binaryFormat: RequestFormat = Object.freeze({ text: false });
const textFormat: RequestFormat = Object.freeze({ text: true });

// The spellings grpc-web, connect-web and the bench send, answered without parsing.
const exactFormats: ReadonlyMap<string, RequestFormat> = new Map([
  ["application/grpc-web", binaryFormat],
  ["application/grpc-web+proto", binaryFormat],
  ["application/grpc-web-text", textFormat],
  ["application/grpc-web-text+proto", textFormat],
]);

/** Parses a request content type; `undefined` when it is not gRPC-Web. Parameters are ignored. */
export function parseRequestFormat(contentType: string | undefined): RequestFormat | undefined {
  if (!contentType) return undefined;
  const exact = exactFormats.get(contentType);
  if (exact) return exact;
  const mediaType = contentType.split(";")[0]?.trim().toLowerCase() ?? "";
  const match = grpcWebContentType.exec(mediaType);
  if (!match) return undefined;
  return match[1] === undefined ? binaryFormat : textFormat;
}

/**
 * Text answers only when `Accept` asks for them, as Envoy's grpc_web filter does:
 * the grpc-web runtime sends `accept: application/grpc-web-text` in text mode.
 */
export function wantsTextResponse(accept: string | undefined): boolean {
  if (!accept) return false;
  return accept.split(",").some((entry) => {
    const mediaType = entry.split(";")[0]?.trim().toLowerCase();
    return (
      mediaType === "application/grpc-web-text" || mediaType === "application/grpc-web-text+proto"
    );
  });
}

/** The response content type, spelled as Envoy spells it. */
export function responseContentType(text: boolean): string {
  return text ? "application/grpc-web-text+proto" : "application/grpc-web+proto";
}

/** The upstream content type: gRPC over HTTP/2 keeps the `+proto` subtype if the browser sent one. */
export function upstreamContentType(requestContentType: string | undefined): string {
  return requestContentType?.toLowerCase().includes("+proto")
    ? "application/grpc+proto"
    : "application/grpc";
}

/** True for upstream answers that are gRPC at all (anything else is an HTTP error page). */
export function isGrpcResponse(contentType: string | undefined): boolean {
  return contentType?.toLowerCase().startsWith("application/grpc") ?? false;
}
