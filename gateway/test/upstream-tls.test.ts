// TLS towards the upstream: the real Teams server serving TLS with a throwaway CA,
// reached through the gateway with UPSTREAM_TLS / UPSTREAM_CA / UPSTREAM_SERVERNAME,
// and each way it can be misconfigured answered UNAVAILABLE naming the fix.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type RunningServer, startServer } from "@teams/server";
import { makeCertificates, type TestCertificates } from "@teams/tools/throwaway-ca";
import { ListTeamsRequest, TeamRequest, TeamResponse } from "@teams/web/gen";
import { type GatewayOptions, gatewayOptionsFromEnv } from "../src/index.ts";
import { createLogger } from "../src/logger.ts";
import { callGrpcWeb, type GrpcWebResult } from "./support/grpc-web-request.ts";
import { startTestGateway } from "./support/test-gateway.ts";

let localCerts: TestCertificates; // for localhost and 127.0.0.1
let internalCerts: TestCertificates; // for teams.internal only
let localServer: RunningServer;
let internalServer: RunningServer;
let plaintextServer: RunningServer;

before(async () => {
  localCerts = makeCertificates(["localhost", "127.0.0.1"]);
  internalCerts = makeCertificates(["teams.internal"]);
  const start = (tls?: TestCertificates) =>
    startServer({
      port: 0,
      host: "127.0.0.1",
      logLevel: "silent",
      ...(tls ? { tls: { cert: tls.cert, key: tls.key } } : {}),
    });
  [localServer, internalServer, plaintextServer] = await Promise.all([
    start(localCerts),
    start(internalCerts),
    start(),
  ]);
});
after(() => {
  for (const server of [localServer, internalServer, plaintextServer]) server?.forceShutdown();
  localCerts?.cleanup();
  internalCerts?.cleanup();
});

/**
 * One GetTeam call for Boston through a gateway started with `options`, with the
 * gateway's access-log line for it. A failed TLS handshake is a setting to fix, so the
 * gateway must answer at once rather than retry within its (default 2 s) retry window.
 */
async function getBoston(options: GatewayOptions): Promise<GrpcWebResult> {
  const accessLog: Record<string, unknown>[] = [];
  // The environment's options first: its PORT (8080 by default) must not replace port 0.
  const gateway = await startTestGateway(options.upstream, {
    ...options,
    port: 0,
    host: "127.0.0.1",
    logger: createLogger("info", (line) => accessLog.push(JSON.parse(line))),
  });
  try {
    const result = await callGrpcWeb(gateway.url, "/Teams/GetTeam", [
      new TeamRequest({ city: "Boston" }).serialize(),
    ]);
    const call = accessLog.find((line) => line.msg === "call");
    assert.equal(call?.retries, undefined, "a TLS failure is answered without retries");
    return result;
  } finally {
    await gateway.close();
  }
}

function nickname(result: GrpcWebResult): string {
  assert.equal(result.status, 0, result.message);
  return TeamResponse.deserialize(result.messages[0] as Buffer).nickname;
}

describe("TLS to the upstream", () => {
  it("calls a TLS server trusted through UPSTREAM_TLS=1 and UPSTREAM_CA (read from the environment)", async () => {
    const options = gatewayOptionsFromEnv({
      UPSTREAM: `127.0.0.1:${localServer.port}`,
      UPSTREAM_TLS: "1",
      UPSTREAM_CA: localCerts.caCertPath,
    });
    assert.equal(nickname(await getBoston(options)), "Revolutionaries");
  });

  it("streams ListTeams over the TLS session", async () => {
    const gateway = await startTestGateway(`127.0.0.1:${localServer.port}`, {
      upstreamTls: { ca: localCerts.caCert },
    });
    try {
      const result = await callGrpcWeb(
        gateway.url,
        "/Teams/ListTeams",
        [new ListTeamsRequest({ prefix: "S" }).serialize()],
        { text: true },
      );
      assert.equal(result.status, 0, result.message);
      const cities = result.messages.map((bytes) => TeamResponse.deserialize(bytes).city);
      assert.ok(cities.length > 1, `several teams, got ${cities.join(", ")}`);
      for (const city of cities) assert.match(city, /^S/);
      assert.equal(gateway.upstreamStats().sessionsOpened, 1);
    } finally {
      await gateway.close();
    }
  });

  it("verifies the name from UPSTREAM_SERVERNAME when the certificate is not for the address dialled", async () => {
    const upstream = `127.0.0.1:${internalServer.port}`;
    const named = await getBoston({
      upstream,
      upstreamTls: { ca: internalCerts.caCert, servername: "teams.internal" },
    });
    assert.equal(nickname(named), "Revolutionaries");

    const unnamed = await getBoston({ upstream, upstreamTls: { ca: internalCerts.caCert } });
    assert.equal(unnamed.status, 14, unnamed.message);
    assert.match(unnamed.message, /TLS failed: .*set UPSTREAM_SERVERNAME/);
  });

  it("answers UNAVAILABLE naming UPSTREAM_CA when the server's CA is not trusted", async () => {
    const result = await getBoston({ upstream: `127.0.0.1:${localServer.port}`, upstreamTls: {} });
    assert.equal(result.status, 14, result.message);
    assert.match(result.message, /TLS failed: .*certificate.*; .*set UPSTREAM_CA/);
    // The wrong CA is no better than none.
    const wrongCa = await getBoston({
      upstream: `127.0.0.1:${localServer.port}`,
      upstreamTls: { ca: internalCerts.caCert },
    });
    assert.equal(wrongCa.status, 14, wrongCa.message);
    assert.match(wrongCa.message, /set UPSTREAM_CA/);
  });

  it("answers UNAVAILABLE saying to unset UPSTREAM_TLS when the server speaks plaintext", async () => {
    const result = await getBoston({
      upstream: `127.0.0.1:${plaintextServer.port}`,
      upstreamTls: { ca: localCerts.caCert },
    });
    assert.equal(result.status, 14, result.message);
    assert.match(result.message, /does not speak TLS on that port; unset UPSTREAM_TLS/);
  });

  it("answers UNAVAILABLE, not a hang, when a plaintext gateway dials a TLS server", async () => {
    const result = await getBoston({ upstream: `127.0.0.1:${localServer.port}` });
    assert.equal(result.status, 14, result.message);
  });
});
