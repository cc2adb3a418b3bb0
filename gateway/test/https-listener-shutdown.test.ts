// The HTTPS listener shutting down: GOAWAY on drain() and to idle HTTP/2 connections, 408 to
// an HTTPS/1.1 client that trickles its headers, and a close that cuts both kinds of connection.
import assert from "node:assert/strict";
import { once } from "node:events";
import http2 from "node:http2";
import https from "node:https";
import { describe, it } from "node:test";
import tls from "node:tls";
import { TeamResponse } from "@teams/web/gen";
import { eventually } from "./support/eventually.ts";
import { callGrpcWebH2, h2Request } from "./support/grpc-web-h2-request.ts";
import { boston, useHttpsFixtures } from "./support/https-fixtures.ts";
import { answer, startRawUpstream } from "./support/raw-upstream.ts";
import { startTestGateway } from "./support/test-gateway.ts";

const files = useHttpsFixtures();

describe("HTTPS listener shutdown", () => {
  it("drain() sends GOAWAY to an HTTP/2 connection and lets its call in progress finish", async () => {
    let answerHeldCall = (): void => {};
    const upstream = await startRawUpstream((stream) => {
      answerHeldCall = () =>
        answer(stream, [
          new TeamResponse({ city: "Boston", nickname: "Held", found: true }).serialize(),
        ]);
    });
    const gateway = await startTestGateway(upstream.address, {
      tls: files.tls(),
    });
    const client = http2.connect(gateway.url, { ca: files.certs.caCert });
    client.on("error", () => {});
    try {
      let goaway = false;
      client.once("goaway", () => {
        goaway = true;
      });
      const call = callGrpcWebH2(client, "/Teams/GetTeam", [boston()]);
      await eventually(() => upstream.calls.length === 1);
      const drained = gateway.drain(5000);
      await eventually(() => goaway); // fails, rather than hangs, without one
      assert.equal(gateway.activeCalls(), 1);
      answerHeldCall();
      const result = await call;
      assert.equal(result.status, 0, result.message);
      assert.equal(TeamResponse.deserialize(result.messages[0] as Buffer).nickname, "Held");
      await drained;
    } finally {
      client.destroy();
      await gateway.close();
      await upstream.close();
    }
  });

  it("sends GOAWAY to an HTTP/2 connection left without a call, never during a quiet one", async () => {
    let answerHeldCall = (): void => {};
    const upstream = await startRawUpstream((stream) => {
      answerHeldCall = () => answer(stream, []);
    });
    const gateway = await startTestGateway(upstream.address, {
      tls: files.tls(),
      http2IdleTimeoutMs: 150,
    });
    const client = http2.connect(gateway.url, { ca: files.certs.caCert });
    client.on("error", () => {});
    let goaway = false;
    client.once("goaway", () => {
      goaway = true;
    });
    try {
      const call = callGrpcWebH2(client, "/Teams/GetTeam", [boston()]);
      await eventually(() => upstream.calls.length === 1);
      await new Promise((resolve) => setTimeout(resolve, 450)); // 3× the idle time, call silent
      assert.equal(goaway, false, "a call in progress keeps its connection");
      answerHeldCall();
      assert.equal((await call).status, 0);
      await eventually(() => goaway);

      const silent = http2.connect(gateway.url, { ca: files.certs.caCert }); // never opens a stream
      silent.on("error", () => {});
      let silentGoaway = false;
      silent.once("goaway", () => {
        silentGoaway = true;
      });
      await eventually(() => silentGoaway);
      silent.destroy();
    } finally {
      client.destroy();
      await gateway.close();
      await upstream.close();
    }
  });

  it("cuts an HTTPS/1.1 client that trickles its headers with 408, as on plain HTTP", async () => {
    const gateway = await startTestGateway("127.0.0.1:1", {
      tls: files.tls(),
      headersTimeoutMs: 200,
      requestTimeoutMs: 1000,
    });
    try {
      const socket = tls.connect({
        port: gateway.port,
        host: "127.0.0.1",
        ca: files.certs.caCert,
        ALPNProtocols: ["http/1.1"],
      });
      await once(socket, "secureConnect");
      assert.equal(socket.alpnProtocol, "http/1.1");
      socket.write("GET / HTTP/1.1\r\nhost: localhost\r\n"); // and never the blank line
      let answer = "";
      socket.on("data", (chunk: Buffer) => {
        answer += chunk.toString();
      });
      socket.setTimeout(3000, () => socket.destroy()); // no answer: fail, not hang
      await once(socket, "close");
      assert.match(answer, /^HTTP\/1\.1 408 Request Timeout/);
    } finally {
      await gateway.close();
    }
  });

  it("closes with HTTP/2 sessions and HTTP/1.1 keep-alive connections still open", async () => {
    const gateway = await startTestGateway("127.0.0.1:1", {
      webRoot: files.webRoot,
      tls: files.tls(),
      hstsMaxAgeSeconds: 60,
    });
    const client = http2.connect(gateway.url, { ca: files.certs.caCert });
    client.on("error", () => {});
    const page = await h2Request(client, { ":method": "GET", ":path": "/" });
    assert.equal(page.headers["strict-transport-security"], "max-age=60");
    const agent = new https.Agent({ keepAlive: true, ca: files.certs.caCert });
    await new Promise<void>((resolve, reject) => {
      https
        .get(new URL("/", gateway.url), { agent }, (res) => {
          res.resume();
          res.on("end", resolve);
        })
        .on("error", reject);
    });
    const sessionClosed = once(client, "close");
    await gateway.close(); // would hang if either connection were left open
    await sessionClosed;
    agent.destroy();
  });
});
