// Load tools count HTTP statuses only; a gRPC error rides in a 200. So before a system is
// measured, one real call checks the answer itself: grpc-status 0 and the expected team.
import { connect } from "node:http2";
import { decodeBase64Body, decodeEnvelopes, decodeGrpcWebBody } from "@teams/gateway/grpc-frame";
import { decodeTeamResponse } from "../teams-schema.ts";
import { getTeamBody, getTeamPath, type Protocol, protocolHeaders } from "./protocols.ts";

/** What one GetTeam answered. */
export interface Answer {
  grpcStatus: string;
  grpcMessage: string;
  team?: { city: string; nickname: string; found: boolean };
}

/** Calls GetTeam once; throws unless grpc-status is 0 and a TeamResponse came back. */
export async function verifyGetTeam(protocol: Protocol, port: number, city: string) {
  const answer = await callGetTeam(protocol, port, city);
  if (answer.grpcStatus !== "0" || !answer.team) {
    throw new Error(
      `GetTeam over ${protocol} answered grpc-status ${answer.grpcStatus} "${answer.grpcMessage}"`,
    );
  }
  return answer.team;
}

/** Calls GetTeam once over `protocol` and reads the status wherever that protocol puts it. */
export async function callGetTeam(protocol: Protocol, port: number, city: string): Promise<Answer> {
  const body = getTeamBody(protocol, city);
  if (protocol === "grpc") return callNative(port, body);
  const res = await fetch(`http://127.0.0.1:${port}${getTeamPath(protocol)}`, {
    method: "POST",
    headers: protocolHeaders[protocol],
    body,
  });
  const bytes = Buffer.from(await res.arrayBuffer());
  if (protocol === "json") {
    if (res.status !== 200) return { grpcStatus: `HTTP ${res.status}`, grpcMessage: `${bytes}` };
    return { grpcStatus: "0", grpcMessage: "", team: JSON.parse(bytes.toString("utf8")) };
  }
  // A trailers-only answer puts grpc-status in the HTTP headers instead of a trailer frame.
  const { messages, trailers } = decodeGrpcWebBody(
    protocol === "grpc-web-text" ? decodeBase64Body(bytes) : bytes,
    { "grpc-status": res.headers.get("grpc-status") ?? `HTTP ${res.status}` },
  );
  return {
    grpcStatus: trailers["grpc-status"] ?? "missing",
    grpcMessage: trailers["grpc-message"] ?? res.headers.get("grpc-message") ?? "",
    team: messages[0] ? decodeTeamResponse(messages[0]) : undefined,
  };
}

function callNative(port: number, body: Buffer): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const session = connect(`http://127.0.0.1:${port}`);
    session.on("error", reject);
    const req = session.request({
      ":method": "POST",
      ":path": "/Teams/GetTeam",
      ...protocolHeaders.grpc,
    });
    const chunks: Buffer[] = [];
    let headers: Record<string, unknown> = {};
    req.on("response", (h) => {
      headers = h;
    });
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("trailers", (t) => {
      headers = { ...headers, ...t };
    });
    req.on("error", reject);
    req.on("end", () => {
      session.close();
      const message = decodeEnvelopes(Buffer.concat(chunks))[0];
      resolve({
        grpcStatus: String(headers["grpc-status"] ?? "missing"),
        grpcMessage: String(headers["grpc-message"] ?? ""),
        team: message ? decodeTeamResponse(message.data) : undefined,
      });
    });
    req.end(body);
  });
}
