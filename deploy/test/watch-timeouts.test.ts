// Envoy's timeouts against WatchTeams' heartbeat and maximum age (issue: live updates).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { defaultWatchSettings } from "@teams/server";
import { parse } from "yaml";
import { readRepoFile } from "../src/stack-files.ts";
import { checkWatchTimeouts } from "../src/watch-timeout-checks.ts";

const watch = {
  heartbeatMs: defaultWatchSettings.heartbeatMs,
  maxAgeMs: defaultWatchSettings.maxAgeMs,
};
const envoyYaml = readRepoFile("envoy.yaml");

function problemsWith(yaml: string): string[] {
  return checkWatchTimeouts(parse(yaml), "teams_server", watch);
}

describe("envoy.yaml and WatchTeams", () => {
  it("never ends a quiet watch: idle timeouts outlast the heartbeat, gRPC routes have no timeout", () => {
    assert.deepEqual(problemsWith(envoyYaml), []);
  });

  it("fails when a stream_idle_timeout is not longer than the heartbeat", () => {
    const problems = problemsWith(
      envoyYaml.replace("stream_idle_timeout: 300s", "stream_idle_timeout: 30s"),
    );
    assert.equal(problems.length, 1);
    assert.match(
      problems[0] ?? "",
      /stream_idle_timeout 30000 ms must exceed the WatchTeams heartbeat \(30000 ms\)/,
    );
  });

  it("fails when the gRPC route gets a timeout", () => {
    const problems = problemsWith(envoyYaml.replace("timeout: 0s\n", "timeout: 60s\n"));
    assert.ok(
      problems.some((problem) => /route .*: timeout must be 0s/.test(problem)),
      problems.join("\n"),
    );
  });

  it("fails when a stream duration limit is shorter than a watch's maximum age", () => {
    const problems = problemsWith(
      envoyYaml.replace(
        "grpc_timeout_header_max: 0s",
        "grpc_timeout_header_max: 0s\n                              max_stream_duration: 60s",
      ),
    );
    assert.ok(
      problems.some((problem) => /max_stream_duration 60000 ms would end watches/.test(problem)),
      problems.join("\n"),
    );
  });
});
