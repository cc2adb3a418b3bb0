// One list of system packages (tools/system-packages.txt): the README's apt-get line and
// .ci/run install exactly it, and a test that misses one says which package to install.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import {
  isProvided,
  requireCommand,
  requirePythonModule,
  systemPackages,
} from "../src/system-packages.ts";

const repoFile = (path: string): string =>
  readFileSync(new URL(`../../${path}`, import.meta.url), "utf8");
const listed = systemPackages().map((item) => item.name);

describe("tools/system-packages.txt", () => {
  it("names each package once, with a command or Python module that proves it is there", () => {
    assert.equal(new Set(listed).size, listed.length);
    for (const item of systemPackages()) {
      assert.match(item.provides, /^(command|python):\S+$/, item.name);
      assert.ok(item.purpose.length > 0, `${item.name}: say what it is for`);
    }
  });

  it("is the README quick start's one apt-get line", () => {
    const lines = repoFile("README.md")
      .split("\n")
      .filter((line) => /apt-get install/.test(line) && !line.includes("`"));
    assert.equal(lines.length, 1, "one apt-get install line in a README code block");
    const packages = (lines[0] ?? "")
      .replace(/.*apt-get install/, "")
      .trim()
      .split(/\s+/);
    assert.deepEqual(packages.filter((word) => !word.startsWith("-")).sort(), [...listed].sort());
  });

  it("is what .ci/run installs, and nothing else", () => {
    const installs = repoFile(".ci/run")
      .split("\n")
      .filter((line) => /^\s*apt-get install/.test(line));
    assert.equal(installs.length, 1, ".ci/run: one apt-get install line");
    assert.match(installs[0] ?? "", /apt-get install .*"\$\{packages\[@\]\}"/);
    assert.match(repoFile(".ci/run"), /awk .* tools\/system-packages\.txt/);
  });
});

describe("a missing system tool", () => {
  it("fails naming the package to install and what it is for", () => {
    const path = process.env.PATH;
    process.env.PATH = "";
    try {
      assert.throws(
        () => requireCommand("h2load"),
        /^Error: h2load is not installed: sudo apt-get install -y nghttp2-client \(gRPC load/,
      );
    } finally {
      process.env.PATH = path;
    }
  });

  it("by absolute path too, as CHROMIUM_PATH names it", () => {
    assert.throws(
      () => requireCommand("/nonexistent/bin/chromium"),
      /^Error: \/nonexistent\/bin\/chromium is not installed: sudo apt-get install -y chromium /,
    );
  });

  it("a Python module too, and one not listed says to list it", () => {
    assert.equal(isProvided("python:teams_no_such_module"), false);
    assert.throws(
      () => requirePythonModule("teams_no_such_module"),
      /add it to .*system-packages\.txt/,
    );
  });
});
