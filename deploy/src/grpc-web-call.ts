// One gRPC-Web call from Node, as the grpc-web browser runtime makes it, in binary or text
// (base64) mode: enough to smoke-test a deployed stack without a browser. The framing is
// the gateway's own codec.
import {
  decodeBase64Body,
  decodeGrpcWebBody,
  frameMessage,
  type GrpcWebAnswer,
} from "@teams/gateway/grpc-frame";

export type GrpcWebMode = "binary" | "text";

export const contentTypes: Record<GrpcWebMode, string> = {
  binary: "application/grpc-web+proto",
  text: "application/grpc-web-text",
};

export interface CallResult extends GrpcWebAnswer {
  httpStatus: number;
  headers: Headers;
}

/** grpc-* fields of the response headers, where a trailers-only answer carries its status. */
function headerTrailers(headers: Headers): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const name of ["grpc-status", "grpc-message", "grpc-status-details-bin"]) {
    const value = headers.get(name);
    if (value !== null) fields[name] = value;
  }
  return fields;
}

/** One gRPC-Web call; throws if the answer's body is not whole frames. */
export async function callGrpcWeb(
  baseUrl: string,
  path: string,
  request: Uint8Array,
  mode: GrpcWebMode,
  extraHeaders: Record<string, string> = {},
): Promise<CallResult> {
  const framed = frameMessage(request);
  const response = await fetch(new URL(path, baseUrl), {
    method: "POST",
    headers: {
      "content-type": contentTypes[mode],
      accept: contentTypes[mode],
      "x-grpc-web": "1",
      "x-user-agent": "grpc-web-javascript/0.1 teams-smoke",
      "grpc-timeout": "10S",
      ...extraHeaders,
    },
    body: mode === "text" ? framed.toString("base64") : framed,
    signal: AbortSignal.timeout(15_000),
  });
  const body = Buffer.from(await response.arrayBuffer());
  const bytes = mode === "text" ? decodeBase64Body(body) : body;
  const answer = decodeGrpcWebBody(bytes, headerTrailers(response.headers));
  return { ...answer, httpStatus: response.status, headers: response.headers };
}
