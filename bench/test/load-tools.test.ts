// End to end over loopback: both load tools against a real grpc-js server in its own process,
// so a change in h2load's or autocannon's output cannot silently break the bench.
import assert from "node:assert/strict";
import { once } from "node:events";
import http2 from "node:http2";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { runH2load } from "../src/load/h2load-run.ts";
import { getTeamBody } from "../src/load/protocols.ts";
import { callGetTeam } from "../src/load/verify-answer.ts";
import { measurePoint } from "../src/measure-point.ts";
import type { Listener } from "../src/spawn-listener.ts";
import { startNodeTarget, startPythonServer, tenTeamsFile } from "../src/systems.ts";

describe("load tools against real servers", () => {
  let floor: Listener;
  let json: Listener;
  before(async () => {
    [floor, json] = await Promise.all([
      startNodeTarget("grpc-js-floor.ts"),
      startNodeTarget("json-http-server.ts", { TEAMS_FILE: tenTeamsFile }),
    ]);
  });
  after(async () => {
    await Promise.all([floor?.stop(), json?.stop()]);
  });

  it("h2load: counts successful gRPC calls and reads latencies from its log", async () => {
    const result = await runH2load({
      url: `http://127.0.0.1:${floor.port}/Teams/GetTeam`,
      body: getTeamBody("grpc", "Chicago"),
      concurrency: 2,
      seconds: 0.3,
    });
    assert.ok(result.ok > 0);
    assert.equal(result.errors, 0);
    assert.ok(result.p50Ms > 0 && result.p50Ms <= result.p99Ms);
  });

  it("verifies the grpc-status of a real answer, not just HTTP 200", async () => {
    const answer = await callGetTeam("grpc", floor.port, "Chicago");
    assert.equal(answer.grpcStatus, "0");
    assert.deepEqual(answer.team, { city: "Chicago", nickname: "Jackals", found: true });
  });

  it("the minimal Node relay (the gateways' floor) relays a call and its trailers as gRPC-Web", async () => {
    const relay = await startNodeTarget("node-relay-floor.ts", {
      UPSTREAM: `127.0.0.1:${floor.port}`,
    });
    try {
      const answer = await callGetTeam("grpc-web", relay.port, "Chicago");
      assert.equal(answer.grpcStatus, "0");
      assert.deepEqual(answer.team, { city: "Chicago", nickname: "Jackals", found: true });
    } finally {
      await relay.stop();
    }
  });

  it("the minimal Node relay opens a new session when the server says GOAWAY, as at its connections' maximum age", async () => {
    // A server that takes one call per connection: GOAWAY naming that call's stream as the
    // last it will process, then the answer (grpc-js says GOAWAY at grpc.max_connection_age_ms).
    // The relay's next call must go out on a new session.
    const team = Buffer.from("\x0a\x07Chicago\x12\x07Jackals\x18\x01", "latin1");
    const message = Buffer.concat([Buffer.from([0, 0, 0, 0, team.length]), team]);
    const sessionsCalled = new Set<http2.Http2Session>();
    const server = http2.createServer();
    server.on("stream", (stream) => {
      if (stream.session) sessionsCalled.add(stream.session);
      stream.session?.goaway(http2.constants.NGHTTP2_NO_ERROR, stream.id);
      stream.respond(
        { ":status": 200, "content-type": "application/grpc" },
        { waitForTrailers: true },
      );
      stream.on("wantTrailers", () => stream.sendTrailers({ "grpc-status": "0" }));
      stream.end(message);
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const relay = await startNodeTarget("node-relay-floor.ts", {
      UPSTREAM: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    });
    try {
      for (let call = 1; call <= 3; call++) {
        const answer = await callGetTeam("grpc-web", relay.port, "Chicago");
        assert.equal(answer.grpcStatus, "0", `call ${call}`);
        assert.deepEqual(answer.team, { city: "Chicago", nickname: "Jackals", found: true });
      }
      assert.equal(sessionsCalled.size, 3, "each call on a session of its own");
    } finally {
      await relay.stop();
      server.close();
    }
  });

  it("autocannon in its own process: a measured point charges CPU to the server only", async () => {
    const target = {
      protocol: "json" as const,
      port: json.port,
      path: "/teams/get",
      body: getTeamBody("json", "Chicago"),
    };
    const sample = await measurePoint(target, [json.pid], 2, 0.5);
    assert.ok(sample.rps > 0);
    assert.equal(sample.errors, 0);
    assert.ok(sample.cpuPer10k > 0 && Number.isFinite(sample.cpuPer10k));
    assert.ok(sample.peakRssMb > 10);
    assert.ok((sample.loadgenCores ?? 0) > 0);
  });
});

describe("the peers start and answer", () => {
  // A peer that cannot start is only recorded by the bench (its row says why), so a broken
  // launcher would silently drop the comparison: here it fails instead.
  it("the Python tutorial server (Debian's grpcio) answers GetTeam", async () => {
    const server = await startPythonServer();
    try {
      const answer = await callGetTeam("grpc", server.port, "Chicago");
      assert.equal(answer.grpcStatus, "0");
      assert.deepEqual(answer.team, { city: "Chicago", nickname: "Jackals", found: true });
    } finally {
      await server.stop();
    }
  });
});
