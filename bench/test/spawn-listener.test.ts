import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { listeningPort, startListener } from "../src/spawn-listener.ts";

describe("listeningPort", () => {
  it("reads the port of the servers' listening line and ignores every other line", () => {
    assert.equal(listeningPort('{"level":"info","msg":"listening","port":50051}'), 50051);
    assert.equal(listeningPort('{"msg":"loaded","teams":10}'), undefined);
    assert.equal(listeningPort("listening on 50051"), undefined);
    assert.equal(listeningPort("{not json"), undefined);
  });
});

describe("startListener", () => {
  it("fails with the process's own stderr when it exits before listening", async () => {
    await assert.rejects(
      startListener({
        name: "broken",
        command: process.execPath,
        args: ["-e", "console.error('TEAMS_FILE: cannot read'); process.exit(3)"],
      }),
      /broken: exited early \(code 3, signal null\)\nTEAMS_FILE: cannot read/,
    );
  });
});
