import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { App } from "../app.tsx";
import { FakeTeamsApi, sampleTeams } from "../test/fake-teams-api.ts";

function renderApp(fake = new FakeTeamsApi()) {
  render(<App client={fake} />);
  return { fake, user: userEvent.setup(), city: screen.getByRole("combobox", { name: "City" }) };
}

const optionNames = () =>
  within(screen.getByRole("listbox", { name: "Suggested cities" }))
    .getAllByRole("option")
    .map((option) => option.textContent);

const result = () => screen.getByRole("region", { name: "Result" });

describe("city suggestions", () => {
  it("is an ARIA combobox that controls the suggestion listbox", () => {
    const { city } = renderApp();
    expect(city.getAttribute("aria-expanded")).toBe("false");
    expect(city.getAttribute("aria-autocomplete")).toBe("list");
    const listbox = document.getElementById(city.getAttribute("aria-controls") ?? "");
    expect(listbox?.getAttribute("role")).toBe("listbox");
  });

  it("suggests the cities that start with what was typed", async () => {
    const { user, city } = renderApp();
    await user.type(city, "ch");
    expect(await screen.findByRole("option", { name: /Chicago/ })).toBeTruthy();
    expect(optionNames()).toEqual(["CharlotteHornets", "ChicagoJackals"]);
    expect(city.getAttribute("aria-expanded")).toBe("true");
  });

  it("moves with the arrow keys and picks with Enter", async () => {
    const { fake, user, city } = renderApp();
    await user.type(city, "ch");
    await screen.findByRole("option", { name: /Chicago/ });

    await user.keyboard("{ArrowDown}{ArrowDown}");
    const chicago = screen.getByRole("option", { name: /Chicago/ });
    expect(city.getAttribute("aria-activedescendant")).toBe(chicago.id);
    expect(chicago.getAttribute("aria-selected")).toBe("true");

    await user.keyboard("{ArrowUp}");
    const charlotte = screen.getByRole("option", { name: /Charlotte/ });
    expect(city.getAttribute("aria-activedescendant")).toBe(charlotte.id);

    await user.keyboard("{ArrowDown}{Enter}");
    expect(await within(result()).findByText("Jackals")).toBeTruthy();
    expect((city as HTMLInputElement).value).toBe("Chicago");
    expect(fake.lookups).toEqual(["Chicago"]);
    expect(city.getAttribute("aria-expanded")).toBe("false");
  });

  it("closes with Escape and then clears the input", async () => {
    const { user, city } = renderApp();
    await user.type(city, "mi");
    await screen.findByRole("option", { name: /Miami/ });
    await user.keyboard("{Escape}");
    expect(city.getAttribute("aria-expanded")).toBe("false");
    expect(city.getAttribute("aria-activedescendant")).toBeNull();
    await user.keyboard("{Escape}");
    expect((city as HTMLInputElement).value).toBe("");
  });

  it("picks a suggestion with the mouse", async () => {
    const { fake, user, city } = renderApp();
    await user.type(city, "phi");
    await user.click(await screen.findByRole("option", { name: /Philadelphia/ }));
    expect(fake.lookups).toEqual(["Philadelphia"]);
  });

  it("shows suggestions as they stream in and drops a cancelled stream's answers", async () => {
    const fake = new FakeTeamsApi();
    fake.manualStreams = true;
    const { user, city } = renderApp(fake);
    const [charlotte, chicago] = sampleTeams as [(typeof sampleTeams)[0], (typeof sampleTeams)[0]];

    const streamFor = async (prefix: string) =>
      waitFor(() => {
        const stream = fake.streams.find((s) => s.query.prefix === prefix);
        if (!stream) throw new Error(`no stream for ${prefix} yet`);
        return stream;
      });
    await user.type(city, "c");
    const first = await streamFor("c");
    await user.type(city, "h");
    expect(first.signal?.aborted).toBe(true); // at once, before the new stream starts
    const second = await streamFor("ch");
    expect(first?.signal?.aborted).toBe(true);
    expect(second?.signal?.aborted).toBe(false);
    expect(second?.query.limit).toBeGreaterThan(0);

    first?.push(charlotte); // stale: must never show
    second?.push(chicago);
    expect(await screen.findByRole("option", { name: /Chicago/ })).toBeTruthy();
    expect(optionNames()).toEqual(["ChicagoJackals"]);

    second?.push(charlotte);
    expect(await screen.findByRole("option", { name: /Charlotte/ })).toBeTruthy();
    expect(optionNames()).toEqual(["ChicagoJackals", "CharlotteHornets"]);
  });
});
