import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { generatedCity, middleQueries, writeDirectoryFile } from "../src/directory-file.ts";

describe("middleQueries", () => {
  it("asks for a city in the middle and a prefix matching exactly 10 cities", () => {
    for (const size of [10, 10_000, 1_000_000]) {
      const { city, prefix } = middleQueries(size);
      const index = Number(city.slice(5));
      assert.ok(index >= 0 && index + 10 <= size, `${city} in ${size}`);
      const matches = [index - 1, ...Array.from({ length: 11 }, (_, i) => index + i)].filter(
        (i) => i >= 0 && generatedCity(i).startsWith(prefix),
      );
      assert.equal(matches.length, 10, `prefix ${prefix} in ${size}`);
    }
  });
});

describe("writeDirectoryFile", () => {
  it("writes a JSON array of {city, nickname} in the server's format, in city order", async () => {
    const dir = await mkdtemp(join(tmpdir(), "bench-dir-test-"));
    try {
      const path = join(dir, "teams.json");
      await writeDirectoryFile(path, 25);
      const teams = JSON.parse(await readFile(path, "utf8")) as {
        city: string;
        nickname: string;
      }[];
      assert.equal(teams.length, 25);
      assert.deepEqual(teams[3], { city: "City 0000003", nickname: "Team 3" });
      assert.deepEqual(
        teams.map((t) => t.city),
        teams.map((t) => t.city).sort(),
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
