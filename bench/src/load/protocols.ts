// The wire protocols a bench target can speak, and how to send one GetTeam over each.
import { frameMessage } from "@teams/gateway/grpc-frame";
import { encodeTeamRequest } from "../teams-schema.ts";

/** native gRPC (HTTP/2), gRPC-Web binary or text (HTTP/1.1), or plain JSON (HTTP/1.1). */
export type Protocol = "grpc" | "grpc-web" | "grpc-web-text" | "json";

/** Request headers of each protocol (content-type is what selects the codec). */
export const protocolHeaders: Record<Protocol, Record<string, string>> = {
  grpc: { "content-type": "application/grpc", te: "trailers" },
  "grpc-web": { "content-type": "application/grpc-web+proto", "x-grpc-web": "1" },
  "grpc-web-text": {
    "content-type": "application/grpc-web-text",
    accept: "application/grpc-web-text",
    "x-grpc-web": "1",
  },
  json: { "content-type": "application/json" },
};

/** The path GetTeam is served on for each protocol. */
export function getTeamPath(protocol: Protocol): string {
  return protocol === "json" ? "/teams/get" : "/Teams/GetTeam";
}

/** The exact request body of one GetTeam call for `city`. */
export function getTeamBody(protocol: Protocol, city: string): Buffer {
  if (protocol === "json") return Buffer.from(JSON.stringify({ city }));
  const frame = frameMessage(encodeTeamRequest(city));
  return protocol === "grpc-web-text" ? Buffer.from(frame.toString("base64")) : frame;
}
