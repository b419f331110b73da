import { expect, test } from "@playwright/test";
import { apiKey, signIn } from "./support/app.ts";

const auth = () => ({ authorization: `Bearer ${apiKey()}` });

test("finance: scheduled billing runs are on by default; their hour is set in Settings", async ({
  page,
  request,
}) => {
  const settings = async () => (await request.get("/v1/billing/settings", { headers: auth() })).json();
  const before = await settings();
  await signIn(page);
  await page.goto("/settings");
  await expect(page.getByTestId("scheduled-runs")).toBeChecked();
  await expect(page.getByTestId("scheduled-run-hour")).toHaveValue(String(before.scheduledRunHour));
  await expect(page.getByTestId("save-schedule")).toBeDisabled();
  await page.getByTestId("scheduled-run-hour").selectOption("5");
  await page.getByTestId("save-schedule").click();
  await expect(page.getByTestId("save-schedule")).toBeDisabled();
  expect(await settings()).toMatchObject({
    scheduledRuns: true,
    scheduledRunHour: 5,
    gracePeriodHours: before.gracePeriodHours,
  });
  // Other journeys share the tenant: put the hour back as it was.
  await page.getByTestId("scheduled-run-hour").selectOption(String(before.scheduledRunHour));
  await page.getByTestId("save-schedule").click();
  await expect(page.getByTestId("save-schedule")).toBeDisabled();
  expect((await settings()).scheduledRunHour).toBe(before.scheduledRunHour);
});
