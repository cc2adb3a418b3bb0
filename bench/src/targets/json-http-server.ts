// "gRPC vs REST", measured: the same lookup as a plain JSON endpoint on node:http.
// POST /teams/get {"city":"Chicago"} -> 200 {"city","nickname","found"}; bad JSON -> 400.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { announceListening } from "./announce.ts";
import { readTeamsFile } from "./teams-file.ts";

const teams = readTeamsFile();

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    let city: unknown;
    try {
      city = (JSON.parse(Buffer.concat(chunks).toString("utf8")) as { city?: unknown }).city;
    } catch {
      city = undefined;
    }
    if (typeof city !== "string" || city.trim() === "") {
      res.writeHead(400, { "content-type": "application/json" });
      res.end('{"error":"city: must be a non-empty string"}');
      return;
    }
    const team = teams.get(city.trim().toLowerCase());
    const body = team
      ? { city: team.city, nickname: team.nickname, found: true }
      : { city, nickname: "not a member", found: false };
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => {
  announceListening((server.address() as AddressInfo).port, () => server.close());
});
