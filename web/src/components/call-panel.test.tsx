import { render, screen, within } from "@testing-library/react";
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

    const [failed, allTeams] = rows();
    expect(failed?.slice(0, 4)).toEqual(["GetTeam", 'city: ""', "UNAVAILABLE", "0"]);
    expect(failed?.[4]).toMatch(/^\d+ ms$/);
    expect(allTeams?.slice(0, 4)).toEqual(["ListTeams", 'prefix: ""', "OK", "4"]);

    await user.type(city, "Chicago{Escape}{Enter}");
    await within(result()).findByText("Jackals");
    expect(rows()[0]?.slice(0, 3)).toEqual(["GetTeam", 'city: "Chicago"', "OK"]);
  });

  it("marks a stream a newer keystroke replaced as CANCELLED", async () => {
    const fake = new FakeTeamsApi();
    fake.manualStreams = true;
    render(<App client={fake} />);
    const user = userEvent.setup();
    await user.type(screen.getByRole("combobox", { name: "City" }), "mi");
    const statuses = await screen.findAllByText("CANCELLED");
    expect(statuses).toHaveLength(1);
    expect(rows()[0]?.slice(0, 3)).toEqual(["ListTeams", 'prefix: "mi", limit: 6', "pending"]);
    expect(rows()[1]?.slice(0, 3)).toEqual(["ListTeams", 'prefix: "m", limit: 6', "CANCELLED"]);
  });
});
