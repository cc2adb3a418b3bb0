import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { TeamDirectory } from "../src/directory.ts";
import { defaultTeamsFile } from "../src/server.ts";
import { loadTeamsFile, TeamsFileError } from "../src/teams-file.ts";
import { generatedTeams, tempDir, writeTeamsFile } from "./support/teams-files.ts";

const temp = tempDir();
after(temp.cleanup);

/** Writes `text` as a file and returns the error loading it gives. */
function loadError(name: string, text: string): string {
  const path = join(temp.dir, name);
  writeFileSync(path, text);
  try {
    loadTeamsFile(path);
  } catch (error) {
    assert.ok(error instanceof TeamsFileError, `expected a TeamsFileError, got ${String(error)}`);
    return error.message.replace(`${temp.dir}/`, "");
  }
  throw new Error(`${name} loaded; an error was expected`);
}

describe("loadTeamsFile", () => {
  it("loads the shipped directory: the tutorial's ten teams", () => {
    const teams = loadTeamsFile(defaultTeamsFile);
    assert.equal(teams.length, 10);
    assert.deepEqual(teams[0], { city: "Chicago", nickname: "Jackals" });
    assert.deepEqual(teams[9], { city: "Boston", nickname: "Revolutionaries" });
  });

  it("names the line, entry and rule of a missing nickname", () => {
    const text = `[\n  {"city": "A", "nickname": "a"},\n  {"city": "B", "nickname": "b"},\n  {"city": "C",\n   "nickname": ""}\n]`;
    assert.equal(
      loadError("teams.json", text),
      'teams.json:5: entry 3: "nickname" must be a non-empty string',
    );
  });

  it("refuses a duplicate city, case and spaces ignored, naming both entries", () => {
    const text = `[\n  {"city": "Chicago", "nickname": "Jackals"},\n  {"city": " CHICAGO ", "nickname": "Bears"}\n]`;
    assert.equal(
      loadError("dup.json", text),
      'dup.json:3: entry 2: duplicate city "CHICAGO" (entry 1 has it)',
    );
  });

  it("refuses a blank or over-long city with the length rule", () => {
    const long = "x".repeat(129);
    assert.equal(
      loadError("blank.json", `[{"city": "  ", "nickname": "a"}]`),
      'blank.json:1: entry 1: "city" must be 1 to 128 characters after trimming spaces, got 0',
    );
    assert.match(loadError("long.json", `[{"city": "${long}", "nickname": "a"}]`), /got 129$/);
  });

  it("refuses unknown fields, non-objects, non-arrays and empty lists", () => {
    assert.equal(
      loadError("typo.json", `[\n{"city": "A", "nickame": "a"}]`),
      'typo.json:2: entry 1: unknown field "nickame"; only "city" and "nickname" are allowed',
    );
    assert.equal(
      loadError("str.json", `["Chicago"]`),
      'str.json:1: entry 1: must be an object {"city": ..., "nickname": ...}',
    );
    assert.equal(
      loadError("obj.json", `{"teams": []}`),
      'obj.json:1: must be a JSON array of {"city": ..., "nickname": ...} objects',
    );
    assert.equal(loadError("empty.json", "[]"), "empty.json:1: lists no teams; give at least one");
  });

  it("names the line of a JSON syntax error", () => {
    assert.equal(
      loadError(
        "syntax.json",
        `[\n  {"city": "A", "nickname": "a"},\n  {"city": "B" "nickname": "b"}\n]`,
      ),
      "syntax.json:3: not valid JSON: CommaExpected",
    );
  });

  it("says when the file cannot be read", () => {
    assert.throws(
      () => loadTeamsFile(join(temp.dir, "missing.json")),
      /missing\.json: cannot read the teams file: ENOENT/,
    );
  });

  it("loads a generated 1,000,000-team file into a directory that answers at once", () => {
    const path = writeTeamsFile(temp.dir, "million.json", generatedTeams(1_000_000));
    const directory = new TeamDirectory(loadTeamsFile(path));
    assert.equal(directory.size, 1_000_000);
    assert.equal(directory.find(" city 0123456 ")?.nickname, "Team 123456");
    assert.deepEqual([...directory.list("City 09999")].map((team) => team.city).slice(-2), [
      "City 0999998",
      "City 0999999",
    ]);
  });
});
