// Runs in its own process: one ListTeams call, native (HTTP/2) or gRPC-Web (HTTP/1.1), that
// counts messages as they arrive without keeping them, then prints one JSON line:
// {"messages":N,"seconds":S,"grpcStatus":"0"}. Its CPU is never charged to the server.
// argv: <grpc|grpc-web> <port> <prefix> <limit> [stallMs]
// stallMs > 0: after the first bytes, stop reading for that long (a slow browser tab), so a
// proxy that ignores backpressure would have to buffer what the server keeps sending.
import { request as http1 } from "node:http";
import { connect } from "node:http2";
import {
  decodeTrailerBlock,
  EnvelopeDecoder,
  frameMessage,
  trailerFlag,
} from "@teams/gateway/grpc-frame";
import { encodeListTeamsRequest } from "../teams-schema.ts";
import { protocolHeaders } from "./protocols.ts";

const [mode, port, prefix = "", limit = "0", stallMs = "0"] = process.argv.slice(2);
const body = frameMessage(encodeListTeamsRequest(prefix, Number(limit)));
// Counts messages as they arrive and drops them: a stream of a million is never held.
const decoder = new EnvelopeDecoder();
let messages = 0;
let trailer: Record<string, string> = {};
function count(chunk: Buffer): void {
  for (const frame of decoder.push(chunk)) {
    if ((frame.flags & trailerFlag) !== 0) trailer = decodeTrailerBlock(frame.data);
    else messages += 1;
  }
}
const started = process.hrtime.bigint();

function finish(grpcStatus: string): void {
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const out = { messages, seconds, grpcStatus, leftover: decoder.pending };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

if (mode === "grpc") {
  const session = connect(`http://127.0.0.1:${port}`);
  const req = session.request({
    ":method": "POST",
    ":path": "/Teams/ListTeams",
    ...protocolHeaders.grpc,
  });
  let status = "missing";
  req.on("response", (h) => {
    if (h["grpc-status"] !== undefined) status = String(h["grpc-status"]);
  });
  req.on("trailers", (t) => {
    status = String(t["grpc-status"] ?? status);
  });
  req.on("data", (c: Buffer) => count(c));
  req.on("end", () => {
    session.close();
    finish(status);
  });
  req.end(body);
} else if (mode === "grpc-web") {
  const req = http1(
    {
      host: "127.0.0.1",
      port: Number(port),
      method: "POST",
      path: "/Teams/ListTeams",
      headers: protocolHeaders["grpc-web"],
    },
    (res) => {
      res.on("data", (c: Buffer) => count(c));
      if (Number(stallMs) > 0) {
        res.once("data", () => {
          res.pause();
          setTimeout(() => res.resume(), Number(stallMs));
        });
      }
      res.on("end", () => {
        const header = res.headers["grpc-status"];
        finish(trailer["grpc-status"] ?? (typeof header === "string" ? header : "missing"));
      });
    },
  );
  req.end(body);
} else {
  process.stderr.write(`mode: must be grpc or grpc-web, got ${mode}\n`);
  process.exit(2);
}
