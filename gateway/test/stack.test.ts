// `npm start` end to end: the stack command on free ports, a gRPC-Web call for
// Chicago through it, and a clean exit on SIGTERM. SKIP_WEB_BUILD=1 and a tiny
// WEB_ROOT keep it fast; the page build itself is web/'s business.
import assert from "node:assert/strict";
import { once } from "node:events";
import net from "node:net";
import { after, describe, it } from "node:test";
import { TeamRequest, TeamResponse } from "@teams/web/gen";
import { portAccepts } from "../src/port-accepts.ts";
import { freePort } from "./support/free-port.ts";
import { callGrpcWeb } from "./support/grpc-web-request.ts";
import { killStacks, runStack, tinyWebRoot } from "./support/stack-process.ts";

const webRoot = tinyWebRoot();
after(() => {
  killStacks();
  webRoot.cleanup();
});

describe("npm start (gateway/src/stack.ts)", () => {
  it("serves a gRPC-Web call for Chicago, then stops server and gateway on SIGTERM with exit 0", async () => {
    const [port, grpcPort] = [await freePort(), await freePort()];
    const { child, output, waitFor } = runStack({
      PORT: String(port),
      GRPC_PORT: String(grpcPort),
      WEB_ROOT: webRoot.dir,
    });
    await waitFor(`Teams is up: http://localhost:${port}`);

    for (const text of [false, true]) {
      const result = await callGrpcWeb(
        `http://127.0.0.1:${port}`,
        "/Teams/GetTeam",
        [new TeamRequest({ city: "Chicago" }).serialize()],
        { text },
      );
      assert.equal(result.status, 0, result.message);
      assert.equal(TeamResponse.deserialize(result.messages[0] as Buffer).nickname, "Jackals");
    }

    const exited = once(child, "exit");
    child.kill("SIGTERM");
    const [code] = (await exited) as [number | null];
    assert.equal(code, 0, output());
    assert.equal(await portAccepts(port), false, "gateway port closed");
    assert.equal(await portAccepts(grpcPort), false, "server port closed");
  });

  it("says which port is taken and exits non-zero", async () => {
    const blocker = net.createServer().listen(0, "0.0.0.0");
    await once(blocker, "listening");
    const taken = (blocker.address() as net.AddressInfo).port;
    try {
      const { child, output } = runStack({
        PORT: String(taken),
        GRPC_PORT: String(await freePort()),
        WEB_ROOT: webRoot.dir,
      });
      const [code] = (await once(child, "exit")) as [number | null];
      assert.notEqual(code, 0);
      assert.match(output(), new RegExp(`port ${taken} is taken \\(PORT\\)`));
    } finally {
      blocker.close();
    }
  });
});
