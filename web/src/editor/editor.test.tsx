import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { StatusCode, TeamsError } from "../teams-api/teams-error.ts";
import { renderEditing } from "../test/editing.tsx";

async function addTeam(page: ReturnType<typeof renderEditing>, city: string, nickname: string) {
  const form = within(page.editor()).getByRole("form", { name: "Add a team" });
  if (city) await page.user.type(within(form).getByLabelText("New city"), city);
  if (nickname) await page.user.type(within(form).getByLabelText("New nickname"), nickname);
  await page.user.click(within(form).getByRole("button", { name: "Add team" }));
  return form;
}

async function saveNickname(
  page: ReturnType<typeof renderEditing>,
  form: HTMLElement,
  nickname: string,
): Promise<void> {
  const field = within(form).getByLabelText("Nickname");
  await page.user.clear(field);
  await page.user.type(field, nickname);
  await page.user.click(within(form).getByRole("button", { name: "Save nickname" }));
}

describe("editing teams when signed in", () => {
  it("adds a team: it shows in the list once the watch brings it", async () => {
    const page = renderEditing();
    await page.signIn();
    const form = await addTeam(page, "Denver", "Nuggets");
    expect(await within(form).findByText("Saved: Denver Nuggets.")).toBeTruthy();
    expect(await within(page.list()).findByRole("button", { name: /Denver/ })).toBeTruthy();
    expect((within(form).getByLabelText("New city") as HTMLInputElement).value).toBe("");
  });

  it("shows nothing of a write that failed", async () => {
    const page = renderEditing();
    page.fake.failWrite(new TeamsError(StatusCode.INTERNAL, "disk full"));
    await page.signIn();
    const form = await addTeam(page, "Denver", "Nuggets");
    expect((await within(form).findByRole("alert")).textContent).toContain("INTERNAL");
    expect(within(page.list()).queryByRole("button", { name: /Denver/ })).toBeNull();
    expect((within(form).getByLabelText("New city") as HTMLInputElement).value).toBe("Denver");
  });

  it("shows the server's field errors at the fields", async () => {
    const page = renderEditing();
    await page.signIn();
    const form = await addTeam(page, "Denver", "");
    const nickname = within(form).getByLabelText("New nickname");
    await waitFor(() => expect(nickname.getAttribute("aria-invalid")).toBe("true"));
    const error = document.getElementById(nickname.getAttribute("aria-describedby") ?? "");
    expect(error?.textContent).toBe("Nickname must be 1 to 128 characters, got 0");
    expect(within(form).getByLabelText("New city").getAttribute("aria-invalid")).toBeNull();
  });

  it("shows the team a city already has (ALREADY_EXISTS) and can replace it", async () => {
    const page = renderEditing();
    await page.signIn();
    const form = await addTeam(page, "Chicago", "Cubs");
    const conflict = await within(form).findByRole("alert");
    expect(conflict.textContent).toContain('Chicago already has a team: "Jackals".');
    await page.user.click(within(conflict).getByRole("button", { name: "Replace it with mine" }));
    expect(await within(page.list()).findByRole("button", { name: /Cubs/ })).toBeTruthy();
    expect(page.fake.writes.at(-1)?.input).toEqual({
      city: "Chicago",
      nickname: "Cubs",
      ifVersion: 2,
    });
  });

  it("renames the team picked in the list, conditional on the version seen", async () => {
    const page = renderEditing();
    await page.signIn();
    const form = await page.pick("Miami");
    await saveNickname(page, form, "Dolphins");
    expect(await within(page.list()).findByRole("button", { name: /Dolphins/ })).toBeTruthy();
    expect(page.fake.writes[0]?.input).toEqual({
      city: "Miami",
      nickname: "Dolphins",
      ifVersion: 3,
    });
  });

  it("on a conflict (ABORTED) shows the current value, and retries or discards", async () => {
    const page = renderEditing();
    await page.signIn();
    const form = await page.pick("Chicago");
    page.fake.changeElsewhere({ city: "Chicago", nickname: "Bears" });
    await saveNickname(page, form, "Cubs");

    const conflict = await within(form).findByRole("alert");
    expect(conflict.textContent).toContain('Someone else changed Chicago: it is now "Bears".');
    await page.user.click(within(conflict).getByRole("button", { name: "Discard mine" }));
    expect((within(form).getByLabelText("Nickname") as HTMLInputElement).value).toBe("Bears");

    await saveNickname(page, form, "Cubs");
    expect(await within(form).findByText("Saved: Chicago is now Cubs.")).toBeTruthy();
  });

  it("on a conflict, 'Save mine anyway' writes over the current version", async () => {
    const page = renderEditing();
    await page.signIn();
    const form = await page.pick("Chicago");
    const bears = page.fake.changeElsewhere({ city: "Chicago", nickname: "Bears" });
    await page.user.type(within(form).getByLabelText("Nickname"), "!");
    await page.user.click(within(form).getByRole("button", { name: "Save nickname" }));
    const conflict = await within(form).findByRole("alert");
    await page.user.click(within(conflict).getByRole("button", { name: "Save mine anyway" }));
    expect(await within(page.list()).findByRole("button", { name: /Jackals!/ })).toBeTruthy();
    expect(page.fake.writes.at(-1)?.input.ifVersion).toBe(bears.version);
  });

  it("deletes a team only after confirmation", async () => {
    const page = renderEditing();
    await page.signIn();
    const form = await page.pick("Miami");
    await page.user.click(within(form).getByRole("button", { name: "Delete Miami" }));
    const confirm = within(form).getByRole("group", { name: /Delete Miami for everyone\?/ });
    expect(page.fake.writes).toHaveLength(0);
    await page.user.click(within(confirm).getByRole("button", { name: "Yes, delete Miami" }));

    await waitFor(() =>
      expect(within(page.list()).queryByRole("button", { name: /Miami/ })).toBeNull(),
    );
    expect(within(page.editor()).getByText("Deleted Miami.")).toBeTruthy();
    expect(page.fake.writes[0]).toMatchObject({
      method: "DeleteTeam",
      input: { city: "Miami", ifVersion: 3 },
    });
  });

  it("keeps the team when the confirmation is cancelled", async () => {
    const page = renderEditing();
    await page.signIn();
    const form = await page.pick("Miami");
    await page.user.click(within(form).getByRole("button", { name: "Delete Miami" }));
    await page.user.click(within(form).getByRole("button", { name: "Cancel" }));
    expect(within(form).getByRole("button", { name: "Delete Miami" })).toBeTruthy();
    expect(page.fake.writes).toHaveLength(0);
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("renaming a team someone deleted meanwhile says so, and can add it again", async () => {
    const page = renderEditing();
    await page.signIn();
    const form = await page.pick("Miami");
    // The deletion is written before this page's watch brings it (which would close the form).
    page.fake.manualWatches = true;
    page.fake.changeElsewhere({ city: "Miami" });
    await saveNickname(page, form, "Dolphins");

    const conflict = await within(form).findByRole("alert");
    expect(conflict.textContent).toContain("Miami has no team any more: someone deleted it.");
    page.fake.manualWatches = false;
    await page.user.click(within(conflict).getByRole("button", { name: "Add it again" }));
    expect(await within(page.list()).findByRole("button", { name: /Dolphins/ })).toBeTruthy();
    expect(page.fake.writes.at(-1)?.input).toEqual({
      city: "Miami",
      nickname: "Dolphins",
      ifVersion: 0,
    });
  });

  it("deleting a team someone changed meanwhile shows its new value, then deletes anyway", async () => {
    const page = renderEditing();
    await page.signIn();
    const form = await page.pick("Miami");
    const dolphins = page.fake.changeElsewhere({ city: "Miami", nickname: "Dolphins" });
    await page.user.click(within(form).getByRole("button", { name: "Delete Miami" }));
    await page.user.click(within(form).getByRole("button", { name: "Yes, delete Miami" }));

    const conflict = await within(form).findByRole("alert");
    expect(conflict.textContent).toContain('Someone else changed Miami: it is now "Dolphins".');
    await page.user.click(within(conflict).getByRole("button", { name: "Delete anyway" }));
    await waitFor(() =>
      expect(within(page.list()).queryByRole("button", { name: /Miami/ })).toBeNull(),
    );
    expect(page.fake.writes.at(-1)).toMatchObject({
      method: "DeleteTeam",
      input: { city: "Miami", ifVersion: dolphins.version },
    });
  });

  it("deleting a team someone deleted meanwhile says so and offers only to keep the form", async () => {
    const page = renderEditing();
    await page.signIn();
    const form = await page.pick("Miami");
    page.fake.manualWatches = true; // the deletion has not reached this page yet
    page.fake.changeElsewhere({ city: "Miami" });
    await page.user.click(within(form).getByRole("button", { name: "Delete Miami" }));
    await page.user.click(within(form).getByRole("button", { name: "Yes, delete Miami" }));

    const conflict = await within(form).findByRole("alert");
    expect(conflict.textContent).toContain("Miami has no team any more: someone deleted it.");
    expect(within(conflict).queryByRole("button", { name: "Delete anyway" })).toBeNull();
    await page.user.click(within(conflict).getByRole("button", { name: "Keep it" }));
    expect(within(form).queryByRole("alert")).toBeNull();
    expect(page.fake.writes).toHaveLength(1);
  });
});
