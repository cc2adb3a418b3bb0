import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createLogger, parseLogFormat } from "../../src/logger.ts";

describe("parseLogFormat", () => {
  it("accepts json and pretty in any case, leaves unset to the terminal check, names a typo", () => {
    assert.equal(parseLogFormat("JSON"), "json");
    assert.equal(parseLogFormat(" pretty "), "pretty");
    assert.equal(parseLogFormat(undefined), undefined);
    assert.equal(parseLogFormat(""), undefined);
    assert.throws(() => parseLogFormat("jsno"), {
      message: 'LOG_FORMAT: expected json or pretty, got "jsno"',
    });
  });
});

describe("createLogger", () => {
  it("writes one JSON line per entry (no newline) with level names, and no credentials", () => {
    const lines: string[] = [];
    const logger = createLogger("info", (line) => lines.push(line));
    logger.debug("hidden");
    logger.warn("call", { path: "/Teams/GetTeam", authorization: "Bearer secret" });
    assert.equal(lines.length, 1);
    const entry = JSON.parse(lines[0] ?? "");
    assert.equal(entry.level, "warn");
    assert.equal(entry.msg, "call");
    assert.equal(entry.path, "/Teams/GetTeam");
    assert.equal(entry.authorization, "[redacted]");
    assert.ok(!lines[0]?.endsWith("\n"));
  });
});
