import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { keepScreenshot } from "./support/app.ts";

/** The demo owner `npm start` made on this fresh data folder, as it saved it beside the demo key. */
function demoOwner() {
  const [email, password] = readFileSync(
    join(process.env.PRICEGRAPH_E2E_DATA_DIR ?? "", "demo-owner.txt"),
    "utf8",
  ).split("\n");
  return { email, password };
}

test("the demo owner invites a finance user, who joins by the link and sees only what finance may do", async ({
  page,
  browser,
}, testInfo) => {
  const owner = demoOwner();
  await page.goto("/");
  await expect(page).toHaveURL(/sign-in/);
  await page.getByTestId("email-input").fill(owner.email);
  await page.getByTestId("password-input").fill(owner.password);
  await page.getByTestId("sign-in").click();
  await expect(page).toHaveURL(/\/plans$/);
  await expect(page.getByTestId("signed-in-role")).toHaveText("owner");
  await expect(page.getByTestId("new-plan")).toBeVisible();

  await page.getByTestId("nav-users").click();
  await expect(page.getByTestId(`member-${owner.email}`)).toBeVisible();
  await page.getByTestId("invite").click();
  const financeEmail = `finance-${Date.now().toString(36)}@example.com`;
  await page.getByTestId("invite-email").fill(financeEmail);
  await page.getByTestId("invite-role").selectOption("finance");
  await page.getByTestId("invite-submit").click();
  const link = await page.getByTestId("invite-link").inputValue();
  expect(link).toMatch(/\/accept-invite\?token=/);
  await keepScreenshot(page, testInfo, "invite-link");
  await page.getByTestId("invite-done").click();
  await expect(page.getByTestId("invitations")).toContainText(financeEmail);

  // The person invited opens the link in their own browser.
  const context = await browser.newContext();
  const finance = await context.newPage();
  await finance.goto(link);
  await expect(finance.getByTestId("invite-for")).toContainText(`${financeEmail} is invited as finance`);
  await finance.getByTestId("accept-name").fill("Fiona Finance");
  await finance.getByTestId("accept-password").fill("ledger-ledger-ledger");
  await finance.getByTestId("accept-submit").click();
  // A new member lands on the home page, the revenue dashboard.
  await expect(finance).toHaveURL(/:\d+\/$/);
  await expect(finance.getByTestId("dashboard")).toBeVisible();
  await expect(finance.getByTestId("signed-in-role")).toHaveText("finance");

  // Finance reads everything but changes only billing: no plan, customer or contract actions, no API keys.
  await finance.getByTestId("nav-plans").click();
  await expect(finance.getByRole("heading", { name: "Plans" })).toBeVisible();
  await expect(finance.getByTestId("new-plan")).toHaveCount(0);
  // A plan opens in the editor read only: nothing is saved for a role without catalog.write.
  await finance.getByTestId("plans-table").locator("a").first().click();
  await expect(finance.getByTestId("canvas")).toBeVisible();
  await expect(finance.getByTestId("read-only")).toBeVisible();
  await finance.getByTestId("nav-plans").click();
  await finance.getByTestId("nav-customers").click();
  await expect(finance.getByRole("heading", { name: "Customers" })).toBeVisible();
  await expect(finance.getByTestId("new-customer")).toHaveCount(0);
  await finance.getByTestId("nav-contracts").click();
  await expect(finance.getByRole("heading", { name: "Contracts" })).toBeVisible();
  await expect(finance.getByTestId("new-contract")).toHaveCount(0);
  await finance.getByTestId("nav-invoices").click();
  await expect(finance.getByTestId("run-billing")).toBeVisible();
  await finance.getByTestId("nav-users").click();
  await expect(finance.getByTestId(`member-${financeEmail}`)).toBeVisible();
  await expect(finance.getByTestId("invite")).toHaveCount(0);
  await finance.getByTestId("nav-settings").click();
  await expect(finance.getByRole("heading", { name: "Billing" })).toBeVisible();
  await expect(finance.getByTestId("api-keys")).toHaveCount(0);
  await expect(finance.getByTestId("new-key")).toHaveCount(0);
  await keepScreenshot(finance, testInfo, "finance-settings");

  // The server agrees: creating a plan as finance is refused, naming the permission.
  const csrf = (await context.cookies()).find((c) => c.name === "pricegraph_csrf")?.value ?? "";
  const refused = await finance.request.post("/v1/plans", {
    headers: { "x-csrf-token": csrf },
    data: { name: "Not allowed" },
  });
  expect(refused.status()).toBe(403);
  expect((await refused.json()).error.details[0].permission).toBe("catalog.write");

  // The owner sees the new member with the role.
  await page.reload();
  await expect(page.getByTestId(`member-${financeEmail}`)).toContainText("finance");

  // Signing out everywhere ends the finance user's session for good: its cookie no longer works.
  const sessionCookie = (await context.cookies()).find((c) => c.name === "pricegraph_session")?.value ?? "";
  await finance.getByTestId("sign-out-everywhere").click();
  await expect(finance).toHaveURL(/sign-in/);
  const after = await finance.request.get("/v1/auth/session", {
    headers: { cookie: `pricegraph_session=${sessionCookie}` },
  });
  expect(after.status()).toBe(401);
  await context.close();
});
