import assert from "node:assert/strict";
import { once } from "node:events";
import { describe, it } from "node:test";
import { status } from "@grpc/grpc-js";
import { startServer } from "../src/index.ts";
import { checkHealth, healthClient } from "./support/health-client.ts";

describe("health checking", () => {
  it('answers SERVING for "" and "Teams", NOT_FOUND for other names', async () => {
    const server = await startServer({ port: 0, host: "127.0.0.1", logLevel: "silent" });
    const client = healthClient(server.port);
    try {
      assert.equal(await checkHealth(client, ""), "SERVING");
      assert.equal(await checkHealth(client, "Teams"), "SERVING");
      await assert.rejects(checkHealth(client, "Nope"), { code: status.NOT_FOUND });
    } finally {
      client.close();
      await server.shutdown();
    }
  });

  it("turns NOT_SERVING as soon as shutdown starts draining", async () => {
    const server = await startServer({ port: 0, host: "127.0.0.1", logLevel: "silent" });
    const client = healthClient(server.port);
    const watch = client.watch({ service: "Teams" });
    const statuses: string[] = [];
    watch.on("data", (response: { status: string }) => statuses.push(response.status));
    watch.on("error", () => {}); // the cancel below ends it with CANCELLED
    try {
      await once(watch, "data");
      assert.deepEqual(statuses, ["SERVING"]);
      const stopped = server.shutdown();
      await once(watch, "data");
      assert.deepEqual(statuses, ["SERVING", "NOT_SERVING"]);
      // The watch is an in-flight call: shutdown waits for it, so end it.
      watch.cancel();
      await stopped;
    } finally {
      client.close();
    }
  });
});
