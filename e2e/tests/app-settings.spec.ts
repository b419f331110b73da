import { expect, test } from "@playwright/test";
import { apiKey, keepScreenshot, signIn } from "./support/app.ts";

test("API keys: create one (secret shown once, copied), use it, revoke it; billing grace period saved", async ({
  page,
  request,
  context,
}, testInfo) => {
  const name = `ci-${Date.now().toString(36)}`;
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await signIn(page);
  await page.goto("/");
  await page.getByTestId("nav-settings").click();
  await expect(page.getByTestId("api-keys")).toBeVisible();

  await page.getByTestId("new-key").click();
  await page.getByTestId("new-key-name").fill(name);
  await page.getByTestId("create-key").click();
  const secret = await page.getByTestId("new-key-secret").inputValue();
  expect(secret.length).toBeGreaterThan(20);
  await page.getByTestId("copy-key").click();
  await expect(page.getByTestId("copy-key")).toHaveText("Copied");
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
  await keepScreenshot(page, testInfo, "new-key");
  await page.getByTestId("new-key-done").click();

  // Listed with its prefix only; the secret is nowhere on the page any more.
  const row = page.getByTestId(`api-key-${name}`);
  await expect(row).toContainText("active");
  await expect(page.locator("body")).not.toContainText(secret);
  const withKey = (key: string) => ({ headers: { authorization: `Bearer ${key}` } });
  expect((await request.get("/v1/customers?limit=1", withKey(secret))).status()).toBe(200);

  await page.getByTestId(`revoke-${name}`).click();
  await page.getByTestId("confirm-revoke").click();
  await expect(row).toContainText("revoked");
  await expect(page.getByTestId(`revoke-${name}`)).toHaveCount(0);
  expect((await request.get("/v1/customers?limit=1", withKey(secret))).status()).toBe(401);
  expect((await request.get("/v1/customers?limit=1", withKey(apiKey()))).status()).toBe(200);

  // Billing's grace period, saved and read back by the API.
  const before = (await (await request.get("/v1/billing/settings", withKey(apiKey()))).json())
    .gracePeriodHours;
  await page.getByTestId("grace-hours").fill("x");
  await expect(page.getByTestId("save-grace")).toBeDisabled();
  const next = before >= 2160 ? before - 1 : before + 1;
  await page.getByTestId("grace-hours").fill(String(next));
  await page.getByTestId("save-grace").click();
  await expect(page.getByTestId("grace-saved")).toBeVisible();
  expect((await (await request.get("/v1/billing/settings", withKey(apiKey()))).json()).gracePeriodHours).toBe(
    next,
  );
  await keepScreenshot(page, testInfo, "settings");
});
