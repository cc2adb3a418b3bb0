// What a person does and sees on the page's live list and editor, as the e2e tests drive it:
// by role and label, the way a screen reader finds them.
import type { Locator, Page } from "playwright-core";

export const teamList = (page: Page): Locator => page.getByRole("list", { name: "All teams" });

/** The list's row of `city` (a whole word of the row's name). */
export const row = (page: Page, city: string): Locator =>
  teamList(page).getByRole("button", { name: new RegExp(`\\b${city}\\b`) });

/** The list's connection indicator when it says `state` ("live", "reconnecting…"). */
export const connection = (page: Page, state: string): Locator =>
  page
    .getByRole("region", { name: "All teams" })
    .getByRole("status")
    .getByText(state, { exact: true });

export const editing = (page: Page): Locator => page.getByRole("region", { name: "Edit teams" });

/** Every row of the list, as shown. */
export const listed = (page: Page): Promise<string[]> =>
  teamList(page).getByRole("button").allInnerTexts();

/** The text of the page's table of gRPC-Web calls. */
export async function callTable(page: Page): Promise<string> {
  const table = page.getByRole("table", { name: "gRPC-Web calls" });
  return (await table.textContent()) ?? "";
}

export async function openLive(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await connection(page, "live").waitFor();
}

/** Signs in with `token` through the dialog, unless already signed in. */
export async function signIn(page: Page, token: string): Promise<void> {
  if (await editing(page).getByRole("button", { name: "Sign out" }).count()) return;
  await editing(page).getByRole("button", { name: "Sign in" }).click();
  const dialog = page.getByRole("dialog", { name: "Sign in to edit teams" });
  await dialog.getByLabel("Token").fill(token);
  await dialog.getByRole("button", { name: "Sign in" }).click();
  await editing(page).getByRole("button", { name: "Sign out" }).waitFor();
}

export async function addTeam(page: Page, city: string, nickname: string): Promise<void> {
  const form = page.getByRole("form", { name: "Add a team" });
  await form.getByLabel("New city").fill(city);
  await form.getByLabel("New nickname").fill(nickname);
  await form.getByRole("button", { name: "Add team" }).click();
  await form.getByText(`Saved: ${city} ${nickname}.`).waitFor();
}

export async function rename(page: Page, city: string, nickname: string): Promise<void> {
  await row(page, city).click();
  const form = page.getByRole("form", { name: `Edit ${city}` });
  await form.getByLabel("Nickname").fill(nickname);
  await form.getByRole("button", { name: "Save nickname" }).click();
  await form.getByText(`Saved: ${city} is now ${nickname}.`).waitFor();
}

export async function remove(page: Page, city: string): Promise<void> {
  await row(page, city).click();
  const form = page.getByRole("form", { name: `Edit ${city}` });
  await form.getByRole("button", { name: `Delete ${city}` }).click();
  await form.getByRole("button", { name: `Yes, delete ${city}` }).click();
  await editing(page).getByText(`Deleted ${city}.`).waitFor();
}
