import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { App } from "../app.tsx";
import { StatusCode, TeamsError } from "../teams-api/teams-error.ts";
import { FakeTeamsApi } from "../test/fake-teams-api.ts";

const rows = () =>
  within(screen.getByRole("table", { name: "gRPC-Web calls" }))
    .getAllByRole("row")
    .slice(1)
    .map((row) =>
      within(row)
        .getAllByRole("cell")
        .map((cell) => cell.textContent),
    );

const result = () => screen.getByRole("region", { name: "Result" });

describe("the call panel", () => {
  it("lists each call with its method, request, status and duration, newest first", async () => {
    const fake = new FakeTeamsApi();
    fake.failGetTeam(new TeamsError(StatusCode.UNAVAILABLE, "down"));
    render(<App client={fake} />);
    const user = userEvent.setup();
    const city = screen.getByRole("combobox", { name: "City" });
    await screen.findByText("4 teams");

    await user.click(screen.getByRole("button", { name: "Look up" }));
    await screen.findByRole("alert");

    const [failed, watch] = rows();
    expect(failed?.slice(0, 4)).toEqual(["GetTeam", 'city: ""', "UNAVAILABLE", "0"]);
    expect(failed?.[4]).toMatch(/^\d+ ms$/);
    // The live list's watch: still open, its snapshot (4 teams, then the marker) received.
    expect(watch?.slice(0, 5)).toEqual([
      "WatchTeams",
      'prefix: "", since_version: 0last: snapshot complete (v4)',
      "pending",
      "5",
      "…",
    ]);

    await user.type(city, "Chicago{Enter}");
    await within(result()).findByText("Jackals");
    // Newest first (a suggestion stream may start after it, so look for the newest GetTeam).
    const lookups = rows().filter((row) => row[0] === "GetTeam");
    expect(lookups.map((row) => row.slice(0, 3))).toEqual([
      ["GetTeam", 'city: "Chicago"', "OK"],
      ["GetTeam", 'city: ""', "UNAVAILABLE"],
    ]);
  });

  it("marks a suggestion stream a newer keystroke replaced as CANCELLED (stale)", async () => {
    const fake = new FakeTeamsApi();
    fake.manualStreams = true;
    render(<App client={fake} />);
    const user = userEvent.setup();
    const city = screen.getByRole("combobox", { name: "City" });
    await user.type(city, "m");
    await waitFor(() => expect(fake.streams.some((s) => s.query.prefix === "m")).toBe(true));
    await user.type(city, "i");
    const statuses = await screen.findAllByText("CANCELLED");
    expect(statuses).toHaveLength(1);
    await waitFor(() =>
      expect(rows()[0]?.slice(0, 3)).toEqual(["ListTeams", 'prefix: "mi", limit: 6', "pending"]),
    );
    expect(rows()[1]?.slice(0, 3)).toEqual([
      "ListTeams",
      'prefix: "m", limit: 6',
      "CANCELLED (stale)",
    ]);
  });

  it("makes one suggestion call for a word typed in one go, not one per keystroke", async () => {
    const fake = new FakeTeamsApi();
    fake.manualStreams = true;
    render(<App client={fake} />);
    const user = userEvent.setup();
    await user.type(screen.getByRole("combobox", { name: "City" }), "Chicago");
    const suggestionStreams = () => fake.streams.filter((s) => s.query.limit);
    await waitFor(() => expect(suggestionStreams().at(-1)?.query.prefix).toBe("Chicago"));
    expect(suggestionStreams().map((s) => s.query.prefix)).toEqual(["Chicago"]);
  });
});
