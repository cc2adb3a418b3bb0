import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { App } from "./app.tsx";
import { FakeTeamsApi } from "./test/fake-teams-api.ts";

function renderApp(fake = new FakeTeamsApi()) {
  render(<App client={fake} />);
  return { fake, user: userEvent.setup(), city: screen.getByRole("combobox", { name: "City" }) };
}

const result = () => screen.getByRole("region", { name: "Result" });

describe("looking up a city", () => {
  it("focuses the labelled city input on load", () => {
    const { city } = renderApp();
    expect(document.activeElement).toBe(city);
  });

  it("shows the city and its nickname after Enter", async () => {
    const { user, city } = renderApp();
    await user.type(city, "Chicago{Enter}");
    expect(await within(result()).findByText("Jackals")).toBeTruthy();
    expect(result().textContent).toContain("Chicago");
  });

  it("ignores case and surrounding spaces", async () => {
    const { fake, user, city } = renderApp();
    await user.type(city, "  miAMI  ");
    await user.click(screen.getByRole("button", { name: "Look up" }));
    expect(await within(result()).findByText("Heat")).toBeTruthy();
    expect(fake.lookups).toEqual(["  miAMI  "]);
  });

  it("says 'not a member' for an unknown city", async () => {
    const { user, city } = renderApp();
    await user.type(city, "Atlantis{Enter}");
    expect(await within(result()).findByText("not a member")).toBeTruthy();
    expect(result().textContent).toContain("Atlantis");
  });

  it("shows a loading state until the answer arrives", async () => {
    const fake = new FakeTeamsApi();
    const release = fake.holdGetTeam();
    const { user, city } = renderApp(fake);
    await user.type(city, "Philadelphia{Enter}");
    expect(within(result()).getByRole("status").textContent).toBe("Looking up Philadelphia…");
    release();
    expect(await within(result()).findByText("Eagles")).toBeTruthy();
    expect(within(result()).queryByRole("status")).toBeNull();
  });
});
