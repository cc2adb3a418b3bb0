// An OTLP/HTTP trace receiver that accepts every export and discards it: where the traced
// rows of the unary scenario send their spans, so they pay the export and no collector's work.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { announceListening } from "./announce.ts";

const server = createServer((request, response) => {
  request.resume();
  request.on("end", () => {
    // An empty ExportTraceServiceResponse: everything accepted.
    response.writeHead(200, { "content-type": "application/x-protobuf" }).end();
  });
});
server.listen(0, "127.0.0.1", () => {
  announceListening((server.address() as AddressInfo).port, () => {
    server.closeAllConnections();
    return new Promise((resolve) => server.close(resolve));
  });
});
