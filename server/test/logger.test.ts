import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { defaultLogFormat, Logger, readableLine } from "../src/logger.ts";

function capture(level: ConstructorParameters<typeof Logger>[0] = "info") {
  const lines: string[] = [];
  return { lines, logger: new Logger(level, (line) => lines.push(line)) };
}

describe("Logger (pino)", () => {
  it("writes one JSON line per entry at or above its level, none when silent", () => {
    const { lines, logger } = capture("warn");
    logger.info("hidden");
    logger.warn("shown", { code: "CANCELLED" });
    assert.equal(lines.length, 1);
    assert.ok(lines[0]?.endsWith("\n"));
    const entry = JSON.parse(lines[0] ?? "");
    assert.match(entry.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.deepEqual(
      { ...entry, time: "t" },
      { level: "warn", msg: "shown", code: "CANCELLED", time: "t" },
    );
    new Logger("silent", (line) => lines.push(line)).error("hidden");
    assert.equal(lines.length, 1);
  });

  it("never writes an authorization header or a token, at the top level or one level down", () => {
    const { lines, logger } = capture();
    logger.info("call", {
      authorization: "Bearer secret-1",
      headers: { authorization: "Bearer secret-2", "user-agent": "ua" },
      token: "secret-3",
    });
    assert.doesNotMatch(lines[0] ?? "", /secret/);
    assert.equal(JSON.parse(lines[0] ?? "").headers["user-agent"], "ua");
  });
});

describe("defaultLogFormat", () => {
  it("is pretty in a terminal, JSON otherwise, and LOG_FORMAT wins either way", () => {
    assert.equal(defaultLogFormat({}, true), "pretty");
    assert.equal(defaultLogFormat({}, false), "json");
    assert.equal(defaultLogFormat({ LOG_FORMAT: "json" }, true), "json");
    assert.equal(defaultLogFormat({ LOG_FORMAT: "pretty" }, false), "pretty");
  });
});

describe("readableLine", () => {
  it("puts the message and every field on one line, without JSON braces for strings", () => {
    const line = readableLine(
      { level: 30, time: 1, msg: "call", method: "/Teams/GetTeam", code: "OK", durationMs: 0.4 },
      "msg",
    );
    assert.equal(line, "call method=/Teams/GetTeam code=OK durationMs=0.4");
  });
});
