import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { App } from "../app.tsx";
import { FakeTeamsApi, goodToken } from "./fake-teams-api.ts";

/** The page over a fake, with helpers to sign in and pick a team, as a person would. */
export function renderEditing(fake = new FakeTeamsApi()) {
  sessionStorage.clear();
  render(<App client={fake} />);
  const user = userEvent.setup();
  const editor = () => screen.getByRole("region", { name: "Edit teams" });
  const list = () => screen.getByRole("list", { name: "All teams" });
  return {
    fake,
    user,
    editor,
    list,
    async signIn(token = goodToken): Promise<void> {
      await user.click(
        await within(await screen.findByRole("region", { name: "Edit teams" })).findByRole(
          "button",
          { name: "Sign in" },
        ),
      );
      const dialog = screen.getByRole("dialog", { name: "Sign in to edit teams" });
      await user.type(within(dialog).getByLabelText("Token"), token);
      await user.click(within(dialog).getByRole("button", { name: "Sign in" }));
    },
    /** Picks a team in the live list; its edit form opens once the lookup answers. */
    async pick(city: string): Promise<HTMLElement> {
      await user.click(await within(list()).findByRole("button", { name: new RegExp(city) }));
      return within(editor()).findByRole("form", { name: `Edit ${city}` });
    },
  };
}
