// The npm peer: @grpc-web/proxy (connect + cors + @grpc-web/middleware) in front of our server.
// Env: UPSTREAM ("127.0.0.1:P").

import type { Server } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { announceListening, requiredEnv } from "./announce.ts";

// CommonJS with its own .d.ts; createRequire keeps this file plain ESM.
const proxy = createRequire(import.meta.url)("@grpc-web/proxy") as (options: {
  target: string;
}) => { listen(port: number, host: string, ready: () => void): Server };

const server = proxy({ target: `http://${requiredEnv("UPSTREAM")}` }).listen(0, "127.0.0.1", () => {
  announceListening((server.address() as AddressInfo).port, () => server.close());
});
