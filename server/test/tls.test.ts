import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type ChannelCredentials, credentials, status } from "@grpc/grpc-js";
import { makeCertificates, type TestCertificates } from "@teams/tools/throwaway-ca";
import { TeamsClient } from "../src/gen/teams.ts";
import { type RunningServer, startServer } from "../src/index.ts";
import { getTeam, getTeamError, teamsClient } from "./support/teams-client.ts";

/** A TLS client dialing by the name the certificate was issued for, as real clients do. */
const tlsClient = (creds: ChannelCredentials) => new TeamsClient(`localhost:${server.port}`, creds);
let certs: TestCertificates;
let server: RunningServer;

before(async () => {
  certs = makeCertificates();
  server = await startServer({
    port: 0,
    host: "127.0.0.1",
    logLevel: "silent",
    tls: { cert: certs.cert, key: certs.key },
  });
});
after(async () => {
  await server.shutdown();
  certs.cleanup();
});

describe("TLS", () => {
  it("serves a client that trusts the CA", async () => {
    const client = tlsClient(credentials.createSsl(certs.caCert));
    try {
      const team = await getTeam(client, "Boston");
      assert.deepEqual(
        { city: team.city, nickname: team.nickname, found: team.found },
        { city: "Boston", nickname: "Revolutionaries", found: true },
      );
    } finally {
      client.close();
    }
  });

  it("fails a client that does not trust the CA, and a plaintext client", async () => {
    const untrusting = tlsClient(credentials.createSsl());
    const plaintext = teamsClient(server.port);
    try {
      assert.equal((await getTeamError(untrusting, "Boston")).code, status.UNAVAILABLE);
      assert.equal((await getTeamError(plaintext, "Boston")).code, status.UNAVAILABLE);
    } finally {
      untrusting.close();
      plaintext.close();
    }
  });
});
