import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { describe, it } from "node:test";
import { ImportFileError, openImportRows, type ReadRow } from "../src/import-rows.ts";
import { ProgressBar } from "../src/progress-bar.ts";

const dir = mkdtempSync(join(tmpdir(), "teams-rows-"));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

async function readAll(path: string): Promise<ReadRow[]> {
  const rows: ReadRow[] = [];
  for await (const row of openImportRows(path)) rows.push(row);
  return rows;
}

describe("openImportRows", () => {
  it("reads a JSON array (the TEAMS_FILE format) with if_version, progress reaching 1", async () => {
    const rows = await readAll(
      file("a.json", ' [{"city":"Chicago","nickname":"Bears","if_version":3},{"city":"Miami"}]'),
    );
    assert.deepEqual(
      rows.map((item) => item.row),
      [
        { city: "Chicago", nickname: "Bears", ifVersion: 3 },
        { city: "Miami", nickname: "" },
      ],
    );
    assert.deepEqual(
      rows.map((item) => item.progress),
      [0.5, 1],
    );
  });

  it("reads one object a line, skipping blank lines, progress by bytes read", async () => {
    const rows = await readAll(
      file("b.ndjson", '{"city":"A","nickname":"x"}\n\n{"city":"B","nickname":"y"}\n'),
    );
    assert.deepEqual(
      rows.map((item) => item.row.city),
      ["A", "B"],
    );
    assert.equal(rows.at(-1)?.progress, 1);
  });

  it("names the file and line of a line that is not a team", async () => {
    const path = file("c.ndjson", '{"city":"A","nickname":"x"}\nnot json\n');
    await assert.rejects(readAll(path), (error: Error) => {
      assert.ok(error instanceof ImportFileError);
      assert.match(error.message, /c\.ndjson:2: not JSON/);
      return true;
    });
    await assert.rejects(
      readAll(file("d.json", '[{"city":"A"}, 7]')),
      /d\.json: entry 1: expected an object/,
    );
    await assert.rejects(
      readAll(file("e.json", '[{"city":"A","if_version":-1}]')),
      /if_version must be a whole number/,
    );
  });

  it("refuses a missing file before reading anything", () => {
    assert.throws(() => openImportRows(join(dir, "absent.json")), /cannot read .*absent\.json/);
  });
});

describe("ProgressBar", () => {
  function sink(isTTY: boolean): Writable & { isTTY: boolean; text: string } {
    const out = new Writable({
      write(chunk, _encoding, done) {
        out.text += chunk.toString();
        done();
      },
    }) as Writable & { isTTY: boolean; text: string };
    return Object.assign(out, { isTTY, text: "" });
  }

  it("draws percent and rows on a terminal, then erases its line", () => {
    const out = sink(true);
    const bar = new ProgressBar(out);
    bar.update(1, 12_345);
    assert.match(out.text, /^\r\[#{30}\] 100% 12,345 rows sent/);
    bar.finish();
    assert.ok(out.text.endsWith("\r\x1b[K"));
  });

  it("writes nothing when stderr is not a terminal", () => {
    const out = sink(false);
    const bar = new ProgressBar(out);
    bar.update(0.5, 10);
    bar.finish();
    assert.equal(out.text, "");
  });
});
