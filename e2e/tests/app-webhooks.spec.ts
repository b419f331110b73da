import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "@playwright/test";
import { apiKey, keepScreenshot, signIn } from "./support/app.ts";

/** docs/webhooks.md's receiver-side check. */
function verify(rawBody: string, header: string, secret: string): boolean {
  const pairs = header.split(",").map((part) => part.split("=", 2) as [string, string]);
  const t = Number(pairs.find(([key]) => key === "t")?.[1]);
  if (!Number.isInteger(t) || Math.abs(Date.now() / 1000 - t) > 300) return false;
  const expected = createHmac("sha256", secret).update(`${t}.${rawBody}`).digest();
  return pairs.some(
    ([key, value]) =>
      key === "v1" && /^[0-9a-f]{64}$/.test(value) && timingSafeEqual(Buffer.from(value, "hex"), expected),
  );
}

test("webhooks: add an endpoint, finalize an invoice, see the signed delivery in the log and the change in the audit view", async ({
  page,
  request,
}, testInfo) => {
  const received: { headers: IncomingHttpHeaders; body: string }[] = [];
  const receiver = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => {
      body += chunk;
    });
    req.on("end", () => {
      received.push({ headers: req.headers, body });
      res.end("ok");
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/pricegraph`;
  const auth = { authorization: `Bearer ${apiKey()}` };
  try {
    await signIn(page);
    await page.goto("/");
    await page.getByTestId("nav-webhooks").click();
    await page.getByTestId("new-endpoint").click();
    await page.getByTestId("endpoint-url").fill(url);
    await page.getByTestId("endpoint-all-types").uncheck();
    await page.getByTestId("endpoint-type-invoice.finalized").check();
    await page.getByTestId("create-endpoint").click();
    const secret = await page.getByTestId("endpoint-secret").inputValue();
    expect(secret).toMatch(/^whsec_/);
    await page.getByTestId("endpoint-done").click();
    await expect(page.getByTestId("endpoint-row")).toContainText(url);
    await expect(page.locator("body")).not.toContainText(secret);

    // A draft of the demo data, finalized in the app.
    const drafts = await (await request.get("/v1/invoices?status=draft&limit=1", { headers: auth })).json();
    const invoiceId: string = drafts.data[0].id;
    await page.goto(`/invoices/${invoiceId}`);
    await page.getByTestId("invoice-finalize").click();
    await page.getByTestId("confirm-action").click();
    await expect(page.getByTestId("invoice-status")).toHaveText("finalized");

    await page.getByTestId("nav-webhooks").click();
    const row = page.getByTestId("delivery-invoice.finalized");
    await expect(async () => {
      await page.getByTestId("refresh-deliveries").click();
      await expect(row.getByTestId("delivery-status")).toHaveText("succeeded", { timeout: 1000 });
    }).toPass({ timeout: 20_000 });
    expect(received).toHaveLength(1);
    const [delivery] = received;
    const event = JSON.parse(delivery.body);
    expect(event).toMatchObject({
      type: "invoice.finalized",
      object: { id: invoiceId, status: "finalized" },
    });
    expect(verify(delivery.body, String(delivery.headers["pricegraph-signature"]), secret)).toBe(true);
    expect(await row.textContent()).toContain(String(delivery.headers["pricegraph-delivery"]));
    await row.click();
    await expect(page.getByTestId("attempts")).toContainText("200");

    await page.getByTestId("send-test-event").click();
    await expect(page.getByTestId("delivery-webhook.test").getByTestId("delivery-status")).toHaveText(
      "succeeded",
      { timeout: 15_000 },
    );
    expect(received.map((r) => JSON.parse(r.body).type)).toEqual(["invoice.finalized", "webhook.test"]);
    await keepScreenshot(page, testInfo, "webhooks");

    // The audit view: the invoice's finalization with its snapshot; a customer's rename against the record before.
    await page.getByTestId("nav-activity").click();
    await page.getByTestId("filter-object-id").fill(invoiceId);
    await page.getByTestId("activity-invoice.finalized").click();
    await expect(page.getByTestId("activity-snapshot")).toContainText(`"status": "finalized"`);
    const customer = await (
      await request.post("/v1/customers", {
        headers: auth,
        data: { externalId: `audit-${Date.now().toString(36)}`, name: "Audit Labs" },
      })
    ).json();
    await request.patch(`/v1/customers/${customer.id}`, { headers: auth, data: { name: "Audit Labs GmbH" } });
    await page.getByTestId("filter-object-id").fill(customer.id);
    await expect(page.getByTestId("activity-customer.created")).toBeVisible();
    await page.getByTestId("activity-customer.updated").click();
    const changes = page.getByTestId("activity-changes");
    await expect(changes).toContainText("name");
    await expect(changes).toContainText("Audit Labs GmbH");
    await keepScreenshot(page, testInfo, "activity");
  } finally {
    await new Promise((resolve) => receiver.close(resolve));
  }
});
