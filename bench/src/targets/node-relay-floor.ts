// The floor of any Node gRPC-Web relay: node:http (HTTP/1.1) in front, one node:http2 session
// to the server behind. For each POST it reads the body, opens a stream on that session,
// writes the answer's data as it comes and, at the end, a gRPC-Web trailer frame built from
// the server's trailers. Nothing else: no validation, CORS, pool, retries, timeouts, limits,
// logging or metrics. What it spends per call is what Node itself costs to relay one; our
// gateway's CPU per call is compared with it (bench/README.md "Gateway hot path").
// Env: UPSTREAM ("127.0.0.1:P").

import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import http2, { type IncomingHttpHeaders } from "node:http2";
import type { AddressInfo } from "node:net";
import { announceListening, requiredEnv } from "./announce.ts";

const upstream = `http://${requiredEnv("UPSTREAM")}`;
let stopping = false;
let session = connect();

/**
 * A session to the server, replaced by a new one once the server says GOAWAY (it ends every
 * connection after its maximum age, 5 minutes by default: a full bench run is longer) or the
 * session fails: the least any relay must do to keep relaying.
 */
function connect(): http2.ClientHttp2Session {
  const opened = http2.connect(upstream);
  const retire = () => {
    if (session === opened && !stopping) session = connect();
  };
  opened.on("goaway", retire);
  opened.on("error", retire);
  opened.on("close", retire);
  return opened;
}

const answerHead = { "content-type": "application/grpc-web+proto" };

/** A gRPC-Web trailer frame: flag 0x80, length, `name:value\r\n` lines. */
function trailerFrame(trailers: IncomingHttpHeaders): Buffer {
  let block = "";
  for (const name in trailers) {
    if (name.charCodeAt(0) !== 58) block += `${name}:${trailers[name]}\r\n`; // not ":status"
  }
  const frame = Buffer.allocUnsafe(5 + Buffer.byteLength(block, "latin1"));
  frame[0] = 0x80;
  frame.writeUInt32BE(frame.length - 5, 1);
  frame.write(block, 5, "latin1");
  return frame;
}

function relay(req: IncomingMessage, res: ServerResponse): void {
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    const stream = session.request({
      ":method": "POST",
      ":path": req.url ?? "/",
      "content-type": "application/grpc",
      te: "trailers",
    });
    let trailers: IncomingHttpHeaders = {};
    stream.on("response", () => res.writeHead(200, answerHead));
    stream.on("data", (chunk: Buffer) => res.write(chunk));
    stream.on("trailers", (t: IncomingHttpHeaders) => {
      trailers = t;
    });
    stream.on("end", () => res.end(trailerFrame(trailers)));
    stream.on("error", () => res.destroy());
    stream.end(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
  });
}

const server = createServer(relay).listen(0, "127.0.0.1", () => {
  announceListening((server.address() as AddressInfo).port, () => {
    stopping = true;
    session.close();
    server.close();
  });
});
