import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { apiKey, keepScreenshot, signIn } from "./support/app.ts";

test("customer portal: create a link on the customer page, open it signed out, see only that customer's invoices and usage, download an invoice PDF", async ({
  page,
  browser,
  request,
}, testInfo) => {
  const auth = { authorization: `Bearer ${apiKey()}` };
  // A demo customer with finalized invoices.
  const finalized = await (
    await request.get("/v1/invoices?status=finalized&limit=1", { headers: auth })
  ).json();
  const customerId: string = finalized.data[0].customerId;
  const customer = await (await request.get(`/v1/customers/${customerId}`, { headers: auth })).json();

  await signIn(page);
  await page.goto(`/customers/${customerId}`);
  await page.getByTestId("create-portal-link").click();
  const url = await page.getByTestId("portal-link-url").inputValue();
  expect(url).toMatch(/\/portal\/pgp_/);

  // A browser that was never signed in.
  const stranger = await browser.newContext();
  const portal = await stranger.newPage();
  await portal.goto(url);
  await expect(portal.getByTestId("portal-customer")).toHaveText(customer.name);
  await expect(portal.getByTestId("portal-period")).toBeVisible();
  await expect(portal.getByTestId("portal-usage-chart")).toBeVisible();
  const rows = portal.locator('[data-testid^="portal-invoice-INV-"]');
  await expect(rows.first()).toBeVisible();
  const own = await (
    await request.get(`/v1/invoices?customerId=${customerId}&status=finalized&limit=100`, { headers: auth })
  ).json();
  await expect(rows).toHaveCount(
    own.data.length +
      (
        await (
          await request.get(`/v1/invoices?customerId=${customerId}&status=void&limit=100`, { headers: auth })
        ).json()
      ).data.length,
  );
  await rows.first().click();
  await expect(portal.getByTestId("portal-invoice-lines")).toBeVisible();

  // Where each invoice stands with payment, and its PDF: the real document, downloaded with the portal token.
  const number: string = own.data[0].number;
  await expect(portal.getByTestId(`portal-payment-${number}`)).toHaveAttribute(
    "data-status",
    /^(unpaid|partially_paid|paid|overdue)$/,
  );
  const [download] = await Promise.all([
    portal.waitForEvent("download"),
    portal.getByTestId(`portal-invoice-pdf-${number}`).click(),
  ]);
  expect(download.suggestedFilename()).toBe(`${number}.pdf`);
  const pdf = await readFile(await download.path());
  expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
  expect(pdf.length).toBeGreaterThan(1000);
  await keepScreenshot(portal, testInfo, "portal");

  // The token is not an API key, and a made-up one opens nothing.
  const token = url.slice(url.indexOf("/portal/") + "/portal/".length);
  expect(
    (await request.get("/v1/customers", { headers: { authorization: `Bearer ${token}` } })).status(),
  ).toBe(401);
  await portal.goto(url.replace(/pgp_.*/, "pgp_not-a-real-token"));
  await expect(portal.getByTestId("portal-error")).toBeVisible();
  await stranger.close();
});
