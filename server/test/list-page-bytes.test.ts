import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { TeamResponse } from "../src/gen/teams.ts";
import { pageBytes } from "../src/rpc/list-page-bytes.ts";
import { teamResponse } from "../src/rpc/team-messages.ts";
import type { StoredTeam } from "../src/store/team-store.ts";

const teams: StoredTeam[] = [
  { city: "Chicago", nickname: "Jackals", version: 1 },
  { city: "Montréal", nickname: "Voyageurs 🚣", version: 127 },
  { city: "東京", nickname: "Kaiju", version: 128 },
  { city: "C".repeat(128), nickname: "é".repeat(128), version: 2 ** 31 },
  { city: "Big Version", nickname: "Team", version: Number.MAX_SAFE_INTEGER },
  { city: "Zero", nickname: "Unversioned", version: 0 },
];

describe("ListTeams page bytes", () => {
  it("holds each team's TeamResponse exactly as the generated serialize() writes it", () => {
    const page = pageBytes({ teams, after: "zero" });
    assert.equal(page.count, teams.length);
    assert.equal(page.after, "zero");
    teams.forEach((team, i) => {
      const expected = Buffer.from(teamResponse(team).serialize());
      assert.deepEqual(page.message(i), expected, `${team.city}`);
      assert.deepEqual(TeamResponse.deserialize(page.message(i)).toObject(), {
        ...team,
        found: true,
      });
    });
  });

  it("is empty for an empty page", () => {
    const page = pageBytes({ teams: [] });
    assert.equal(page.count, 0);
    assert.equal(page.after, undefined);
  });
});
