import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { App } from "./app.tsx";
import { StatusCode, TeamsError } from "./teams-api/teams-error.ts";
import { FakeTeamsApi } from "./test/fake-teams-api.ts";

/** The app on a fake whose next GetTeam fails with `error`. */
function renderFailing(error: TeamsError) {
  const fake = new FakeTeamsApi();
  fake.failGetTeam(error);
  render(<App client={fake} />);
  return { fake, user: userEvent.setup(), city: screen.getByRole("combobox", { name: "City" }) };
}

const result = () => screen.getByRole("region", { name: "Result" });

describe("errors a person understands", () => {
  it("shows the server's field violation at the input", async () => {
    const { user, city } = renderFailing(
      new TeamsError(StatusCode.INVALID_ARGUMENT, "city is invalid", [
        { field: "city", description: "must be 1 to 128 characters after trimming spaces, got 0" },
      ]),
    );
    await user.type(city, "{Enter}");

    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toBe("City must be 1 to 128 characters after trimming spaces, got 0");
    expect(city.getAttribute("aria-invalid")).toBe("true");
    expect(city.getAttribute("aria-describedby")?.split(" ")).toContain(alert.id);
    expect(screen.queryByRole("button", { name: "Retry" })).toBeNull();
  });

  it("clears the field violation once a lookup succeeds", async () => {
    const { user, city } = renderFailing(
      new TeamsError(StatusCode.INVALID_ARGUMENT, "bad", [
        { field: "city", description: "too long" },
      ]),
    );
    await user.type(city, "x{Enter}");
    await screen.findByRole("alert");
    await user.clear(city);
    await user.type(city, "Chicago{Enter}");
    await within(result()).findByText("Jackals");
    expect(screen.queryByRole("alert")).toBeNull();
    expect(city.getAttribute("aria-invalid")).toBeNull();
  });

  it("says the service is unreachable and retries the same city", async () => {
    const { fake, user, city } = renderFailing(
      new TeamsError(StatusCode.UNAVAILABLE, "connect ECONNREFUSED"),
    );
    await user.type(city, "Chicago{Enter}");

    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("The Teams service is unreachable");
    await user.click(within(alert).getByRole("button", { name: "Retry" }));

    expect(await within(result()).findByText("Jackals")).toBeTruthy();
    expect(screen.queryByRole("alert")).toBeNull();
    expect(fake.lookups).toEqual(["Chicago", "Chicago"]);
  });

  it("says when the deadline passed, with a Retry button", async () => {
    const { user, city } = renderFailing(
      new TeamsError(StatusCode.DEADLINE_EXCEEDED, "deadline exceeded"),
    );
    await user.type(city, "Miami{Enter}");

    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("took too long to answer");
    expect(within(alert).getByRole("button", { name: "Retry" })).toBeTruthy();
  });

  it("names the status code of any other failure", async () => {
    const { user, city } = renderFailing(new TeamsError(StatusCode.INTERNAL, "boom"));
    await user.type(city, "Miami{Enter}");
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("INTERNAL");
    expect(alert.textContent).toContain("boom");
  });
});
