import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { App } from "../app.tsx";
import { StatusCode, TeamsError } from "../teams-api/teams-error.ts";
import { FakeTeamsApi, sampleTeams } from "../test/fake-teams-api.ts";

function streamingApp() {
  const fake = new FakeTeamsApi();
  fake.manualStreams = true;
  render(<App client={fake} />);
  const all = () => fake.streams.filter((s) => s.query.prefix === "").at(-1);
  return { fake, all, user: userEvent.setup() };
}

const list = () => screen.getByRole("list", { name: "All teams" });
const section = () => screen.getByRole("region", { name: "All teams" });

const result = () => screen.getByRole("region", { name: "Result" });

describe("the list of all teams", () => {
  it("fills in one team at a time as the stream arrives", async () => {
    const { all } = streamingApp();
    const [first, second] = sampleTeams as [(typeof sampleTeams)[0], (typeof sampleTeams)[0]];
    expect(all()?.query.limit ?? 0).toBe(0);
    expect(list().getAttribute("aria-busy")).toBe("true");

    all()?.push(first);
    expect(await within(list()).findByRole("button", { name: /Charlotte/ })).toBeTruthy();
    expect(section().textContent).toContain("Streaming… 1");

    all()?.push(second);
    all()?.end();
    expect(await within(section()).findByText("2 teams")).toBeTruthy();
    expect(within(list()).getAllByRole("button")).toHaveLength(2);
    expect(list().getAttribute("aria-busy")).toBe("false");
  });

  it("looks up a team when it is clicked", async () => {
    const fake = new FakeTeamsApi();
    render(<App client={fake} />);
    const user = userEvent.setup();
    await user.click(await within(list()).findByRole("button", { name: /Miami/ }));
    expect(await within(result()).findByText("Heat")).toBeTruthy();
    expect((screen.getByRole("combobox", { name: "City" }) as HTMLInputElement).value).toBe(
      "Miami",
    );
  });

  it("offers to reload the list when the stream fails", async () => {
    const { all, user } = streamingApp();
    all()?.fail(new TeamsError(StatusCode.UNAVAILABLE, "no upstream"));
    const alert = await within(section()).findByRole("alert");
    expect(alert.textContent).toContain("unreachable");

    await user.click(within(alert).getByRole("button", { name: "Reload list" }));
    all()?.push(sampleTeams[0] as (typeof sampleTeams)[0]);
    all()?.end();
    expect(await within(section()).findByText("1 teams")).toBeTruthy();
    expect(within(section()).queryByRole("alert")).toBeNull();
  });
});
