// `npm start` with TLS_CERT/TLS_KEY: the gateway serves HTTPS (HTTP/2) and prints an
// https:// URL, while the server it starts stays plaintext on loopback (it must not
// pick up the gateway's certificate, or every call would fail).
import assert from "node:assert/strict";
import { once } from "node:events";
import http2 from "node:http2";
import { after, describe, it } from "node:test";
import { makeCertificates } from "@teams/tools/throwaway-ca";
import { TeamRequest, TeamResponse } from "@teams/web/gen";
import { freePort } from "./support/free-port.ts";
import { callGrpcWebH2 } from "./support/grpc-web-h2-request.ts";
import { killStacks, runStack, tinyWebRoot } from "./support/stack-process.ts";

const webRoot = tinyWebRoot();
const certs = makeCertificates(["localhost", "127.0.0.1"]);

after(() => {
  killStacks();
  webRoot.cleanup();
  certs.cleanup();
});

describe("npm start with TLS_CERT and TLS_KEY", () => {
  it("prints an https:// URL, answers over HTTP/2, and stops with exit 0", async () => {
    const [port, grpcPort] = [await freePort(), await freePort()];
    const { child, output, waitFor } = runStack({
      WEB_ROOT: webRoot.dir,
      PORT: String(port),
      GRPC_PORT: String(grpcPort),
      TLS_CERT: certs.certPath,
      TLS_KEY: certs.keyPath,
    });
    await waitFor(`Teams is up: https://localhost:${port}`);

    const session = http2.connect(`https://127.0.0.1:${port}`, { ca: certs.caCert });
    try {
      const result = await callGrpcWebH2(session, "/Teams/GetTeam", [
        new TeamRequest({ city: "Chicago" }).serialize(),
      ]);
      assert.equal(result.status, 0, result.message);
      assert.equal(TeamResponse.deserialize(result.messages[0] as Buffer).nickname, "Jackals");
      assert.equal(result.headers["strict-transport-security"], "max-age=31536000");
    } finally {
      session.close();
    }

    const exited = once(child, "exit");
    child.kill("SIGTERM");
    const [code] = (await exited) as [number | null];
    assert.equal(code, 0, output());
  });
});
