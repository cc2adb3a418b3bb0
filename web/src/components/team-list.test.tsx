import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { App } from "../app.tsx";
import type { Team, TeamEvent } from "../teams-api/teams-api.ts";
import { StatusCode, TeamsError } from "../teams-api/teams-error.ts";
import { FakeTeamsApi, type ManualStream, sampleTeams } from "../test/fake-teams-api.ts";

const [charlotte, chicago] = sampleTeams as [Team, Team];

function watchedApp() {
  const fake = new FakeTeamsApi();
  fake.manualWatches = true;
  render(<App client={fake} />);
  const watch = (n: number) =>
    waitFor(() => fake.watches[n] ?? Promise.reject(new Error(`no watch ${n} yet`)));
  return { fake, watch, user: userEvent.setup() };
}

/** Opens the first watch with a snapshot of Chicago at `version`, and waits for it. */
async function liveWithChicago(
  watch: (n: number) => Promise<ManualStream<TeamEvent>>,
  version: number,
) {
  const stream = await watch(0);
  stream.push({ type: "put", version: 2, team: chicago });
  stream.push({ type: "snapshotComplete", version });
  await within(section()).findByText("1 teams");
  return stream;
}

const list = () => screen.getByRole("list", { name: "All teams" });
const section = () => screen.getByRole("region", { name: "All teams" });
const connection = () => within(section()).getByRole("status");
const result = () => screen.getByRole("region", { name: "Result" });

describe("the live list of all teams", () => {
  it("shows the snapshot once complete, and says it is live", async () => {
    const { watch } = watchedApp();
    expect(connection().textContent).toBe("connecting…");
    expect(list().getAttribute("aria-busy")).toBe("true");
    const stream = await watch(0);
    expect(stream.query).toEqual({ prefix: "", sinceVersion: 0 });
    stream.push({ type: "put", version: 1, team: charlotte });
    stream.push({ type: "put", version: 2, team: chicago });
    stream.push({ type: "snapshotComplete", version: 2 });

    expect(await within(section()).findByText("2 teams")).toBeTruthy();
    expect(
      within(list())
        .getAllByRole("button")
        .map((b) => b.textContent),
    ).toEqual(["CharlotteHornets", "ChicagoJackals"]);
    expect(connection().textContent).toBe("live");
    expect(list().getAttribute("aria-busy")).toBe("false");
  });

  it("shows a change at once, highlighted and announced politely", async () => {
    const { watch } = watchedApp();
    const stream = await liveWithChicago(watch, 2);

    const denver = { city: "Denver", nickname: "Nuggets", found: true, version: 3 };
    stream.push({ type: "put", version: 3, team: denver });
    const row = await within(list()).findByRole("button", { name: /Denver/ });
    expect(row.closest("li")?.className).toBe("team-changed");
    const announced = within(section()).getByText("Denver Nuggets added.");
    expect(announced.getAttribute("aria-live")).toBe("polite");

    stream.push({ type: "deleted", version: 4, city: "Chicago" });
    await waitFor(() =>
      expect(within(list()).queryByRole("button", { name: /Chicago/ })).toBeNull(),
    );
    expect(within(section()).getByText("Chicago removed.")).toBeTruthy();
  });

  it("says 'reconnecting…' when the stream fails, keeps the list, and resumes where it was", async () => {
    const { watch } = watchedApp();
    const first = await liveWithChicago(watch, 7);
    first.fail(new TeamsError(StatusCode.UNAVAILABLE, "server restarting"));

    await waitFor(() => expect(connection().textContent).toBe("reconnecting…"));
    expect(within(list()).getByRole("button", { name: /Chicago/ })).toBeTruthy();
    expect(screen.queryByRole("alert")).toBeNull();

    window.dispatchEvent(new Event("online")); // reconnect now rather than after the backoff
    const second = await watch(1);
    expect(second.query.sinceVersion).toBe(7);
    second.push({ type: "heartbeat", version: 7 });
    await waitFor(() => expect(connection().textContent).toBe("live"));
  });

  it("looks up a team when it is clicked", async () => {
    render(<App client={new FakeTeamsApi()} />);
    await userEvent.setup().click(await within(list()).findByRole("button", { name: /Miami/ }));
    expect(await within(result()).findByText("Heat")).toBeTruthy();
    expect((screen.getByRole("combobox", { name: "City" }) as HTMLInputElement).value).toBe(
      "Miami",
    );
  });
});
