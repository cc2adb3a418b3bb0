import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { TeamDirectory } from "../src/directory.ts";
import { generatedTeams } from "./support/teams-files.ts";

const tutorial = new TeamDirectory([
  { city: "Chicago", nickname: "Jackals" },
  { city: "Detroit", nickname: "Wheels" },
  { city: "San Francisco", nickname: "Stingers" },
  { city: "Seattle", nickname: "Orcas" },
  { city: "Boston", nickname: "Revolutionaries" },
]);

describe("TeamDirectory.find", () => {
  it("finds a city whatever its case and surrounding spaces, answering the canonical name", () => {
    assert.deepEqual(tutorial.find("  cHiCaGo \t"), { city: "Chicago", nickname: "Jackals" });
  });

  it("finds nothing for an unknown city or a mere prefix", () => {
    assert.equal(tutorial.find("Miami"), undefined);
    assert.equal(tutorial.find("Chi"), undefined);
  });
});

describe("TeamDirectory.list", () => {
  const cities = (prefix: string, limit = 0) =>
    [...tutorial.list(prefix, limit)].map((team) => team.city);

  it("lists every team in city order for an empty prefix", () => {
    assert.deepEqual(cities(""), ["Boston", "Chicago", "Detroit", "San Francisco", "Seattle"]);
  });

  it("lists only cities starting with the prefix, ignoring case and spaces", () => {
    assert.deepEqual(cities(" s "), ["San Francisco", "Seattle"]);
    assert.deepEqual(cities("SEA"), ["Seattle"]);
  });

  it("stops at the limit; 0 means no limit", () => {
    assert.deepEqual(cities("", 2), ["Boston", "Chicago"]);
    assert.equal(cities("", 0).length, 5);
  });

  it("lists nothing when no city has the prefix, before or after every key", () => {
    assert.deepEqual(cities("Aa"), []);
    assert.deepEqual(cities("Zz"), []);
    assert.deepEqual(cities("Chicagoland"), []);
  });
});

describe("TeamDirectory construction", () => {
  it("refuses two teams for one city, whatever the case", () => {
    assert.throws(
      () =>
        new TeamDirectory([
          { city: "Chicago", nickname: "Jackals" },
          { city: " chicago", nickname: "Bears" },
        ]),
      /duplicate city "chicago"/,
    );
  });

  it("answers from a million teams by key and by prefix", () => {
    const directory = new TeamDirectory(generatedTeams(1_000_000));
    assert.equal(directory.size, 1_000_000);
    assert.deepEqual(directory.find("city 0999999"), {
      city: "City 0999999",
      nickname: "Team 999999",
    });
    // "City 05" matches 100,000 cities; the walk stops after the limit.
    assert.deepEqual(
      [...directory.list("city 05", 3)].map((team) => team.city),
      ["City 0500000", "City 0500001", "City 0500002"],
    );
    assert.deepEqual(
      [...directory.list("City 100000")].map((team) => team.city),
      ["City 1000000"],
    );
  });
});
