import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { StatusCode, TeamsError } from "../teams-api/teams-error.ts";
import { renderEditing } from "../test/editing.tsx";
import { goodToken } from "../test/fake-teams-api.ts";
import { tokenStorageKey } from "./use-session.ts";

describe("signing in and out", () => {
  it("starts signed out, with a Sign in button and no editing", async () => {
    const { editor } = renderEditing();
    expect(
      await within(await screen.findByRole("region", { name: "Edit teams" })).findByText(
        "Sign in to add, rename or delete teams.",
      ),
    ).toBeTruthy();
    expect(within(editor()).queryByRole("form", { name: "Add a team" })).toBeNull();
  });

  it("signs in with a pasted token, says how to get one, and keeps it for this tab only", async () => {
    const { user, editor } = renderEditing();
    await user.click(
      await within(await screen.findByRole("region", { name: "Edit teams" })).findByRole("button", {
        name: "Sign in",
      }),
    );
    const dialog = screen.getByRole("dialog", { name: "Sign in to edit teams" });
    expect(dialog.textContent).toContain("npm run token");
    expect(dialog.textContent).toContain("identity provider");
    expect(document.activeElement).toBe(within(dialog).getByLabelText("Token"));

    await user.type(within(dialog).getByLabelText("Token"), `Bearer ${goodToken}`);
    await user.click(within(dialog).getByRole("button", { name: "Sign in" }));
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(within(editor()).getByRole("form", { name: "Add a team" })).toBeTruthy();
    expect(sessionStorage.getItem(tokenStorageKey)).toBe(goodToken);
    expect(localStorage.length).toBe(0);
  });

  it("closes the dialog with Escape, still signed out", async () => {
    const { user } = renderEditing();
    await user.click(
      await within(await screen.findByRole("region", { name: "Edit teams" })).findByRole("button", {
        name: "Sign in",
      }),
    );
    await user.keyboard("{Escape}");
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(sessionStorage.getItem(tokenStorageKey)).toBeNull();
  });

  it("signs out: the token is forgotten and editing goes away", async () => {
    const { user, editor, signIn } = renderEditing();
    await signIn();
    await user.click(within(editor()).getByRole("button", { name: "Sign out" }));
    expect(sessionStorage.getItem(tokenStorageKey)).toBeNull();
    expect(within(editor()).getByRole("button", { name: "Sign in" })).toBeTruthy();
    expect(within(editor()).queryByRole("form", { name: "Add a team" })).toBeNull();
  });

  it("sends the token with each write", async () => {
    const { user, editor, signIn, fake } = renderEditing();
    await signIn();
    const form = within(editor()).getByRole("form", { name: "Add a team" });
    await user.type(within(form).getByLabelText("New city"), "Denver");
    await user.type(within(form).getByLabelText("New nickname"), "Nuggets");
    await user.click(within(form).getByRole("button", { name: "Add team" }));
    await waitFor(() => expect(fake.writes).toHaveLength(1));
    expect(fake.writes[0]?.token).toBe(goodToken);
    expect(fake.writes[0]?.input).toEqual({ city: "Denver", nickname: "Nuggets", ifVersion: 0 });
  });

  it("signs out with a clear message when the server rejects the token", async () => {
    const { user, editor, signIn } = renderEditing();
    await signIn("expired-token");
    const form = within(editor()).getByRole("form", { name: "Add a team" });
    await user.type(within(form).getByLabelText("New city"), "Denver");
    await user.type(within(form).getByLabelText("New nickname"), "Nuggets");
    await user.click(within(form).getByRole("button", { name: "Add team" }));

    const alert = await within(editor()).findByRole("alert");
    expect(alert.textContent).toMatch(/^You were signed out: the server did not accept your token/);
    expect(within(editor()).getByRole("button", { name: "Sign in" })).toBeTruthy();
    expect(sessionStorage.getItem(tokenStorageKey)).toBeNull();
  });

  it("signs out when the token lacks the write scope (PERMISSION_DENIED)", async () => {
    const { user, editor, signIn, fake } = renderEditing();
    fake.failWrite(new TeamsError(StatusCode.PERMISSION_DENIED, "scope teams:write missing"));
    await signIn();
    const form = within(editor()).getByRole("form", { name: "Add a team" });
    await user.type(within(form).getByLabelText("New city"), "Denver");
    await user.type(within(form).getByLabelText("New nickname"), "Nuggets");
    await user.click(within(form).getByRole("button", { name: "Add team" }));

    const alert = await within(editor()).findByRole("alert");
    expect(alert.textContent).toContain("does not allow changes");
    expect(sessionStorage.getItem(tokenStorageKey)).toBeNull();
  });
});
