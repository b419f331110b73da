import { expect, test } from "@playwright/test";
import { apiKey, keepScreenshot, meteredPlan, openPlan, signIn } from "./support/app.ts";

const csv = (rows: string[]) => ({
  name: "usage.csv",
  mimeType: "text/csv",
  buffer: Buffer.from(`${rows.join("\n")}\n`),
});

test("define a weighted-sum metric with its live preview, pick it in the editor, publish", async ({
  page,
  request,
}, testInfo) => {
  const auth = { authorization: `Bearer ${apiKey()}` };
  const suffix = Date.now().toString(36);
  const key = `seats_${suffix}`;
  const type = `seat.changed.${suffix}`;
  // A demo customer gains 10 seats 2 days ago: a level the preview averages over its window.
  const customers = await (await request.get("/v1/customers?limit=1", { headers: auth })).json();
  const customer = customers.data[0].externalId as string;
  const sent = await request.post("/v1/events", {
    headers: auth,
    data: {
      events: [
        {
          id: `${key}-1`,
          customer,
          type,
          timestamp: new Date(Date.now() - 2 * 86_400_000).toISOString(),
          properties: { seats: 10, region: "eu" },
        },
      ],
    },
  });
  expect(sent.status()).toBe(200);

  await signIn(page);
  await page.goto("/");
  await page.getByTestId("nav-metrics").click();
  await page.getByTestId("new-metric").click();
  await page.getByTestId("metric-key").fill(key);
  await page.getByTestId("metric-name").fill(`Seats ${suffix}`);
  await page.getByTestId("metric-event-type").fill(type);
  await page.getByTestId("metric-aggregation").selectOption("weightedSum");
  await expect(page.getByTestId("aggregation-help")).toContainText("weighted by how long each level held");
  await page.getByTestId("metric-property").fill("seats");
  await page.getByTestId("metric-group-by").fill("region");
  // The live preview: 10 seats held for about 2 of the last 7 days.
  await page.getByTestId("preview-days").selectOption("7");
  const row = page.getByTestId("preview-row").filter({ hasText: customer });
  await expect(row).toBeVisible();
  await expect(page.getByTestId("preview-summary")).toContainText("1 matching event from 1 customer id");
  const value = Number(await row.getByTestId("preview-value").textContent());
  expect(value).toBeGreaterThan(2.5);
  expect(value).toBeLessThan(3.1);
  await keepScreenshot(page, testInfo, "metric-preview");
  await page.getByTestId("metric-save").click();
  await expect(page.getByTestId(`metric-row-${key}`)).toContainText("Weighted sum");

  // A plan whose usage node names a metric nobody defined: publishing is refused, naming it.
  const created = await request.post("/v1/plans", {
    headers: auth,
    data: { name: `Seats ${suffix}`, document: meteredPlan(`seat_${suffix}`, "4", "Seats") },
  });
  expect(created.status()).toBe(201);
  await openPlan(page, (await created.json()).id);
  await page.getByTestId("publish").click();
  const refused = page.getByTestId("publish-refused");
  await expect(refused).toContainText(`seat_${suffix}`);
  await keepScreenshot(page, testInfo, "publish-refused-unknown-metric");
  // The problem leads to the usage node's metric field.
  await refused.getByRole("button", { name: new RegExp(`seat_${suffix}`) }).click();
  await expect(page.getByTestId("field-metric")).toBeFocused();

  // Pick the new metric from the list and split by its dimension, then publish.
  await expect(page.getByTestId("metric-undefined")).toBeVisible();
  await page.getByTestId("field-metric").selectOption(key);
  await expect(page.getByTestId("metric-undefined")).toBeHidden();
  // Group by offers the metric's own dimensions; a per-unit price takes one total, so the grouping goes again.
  await page.getByTestId("add-field-groupBy").click();
  await page.getByTestId("group-by-region").check();
  await expect(page.getByTestId("group-by-region")).toBeChecked();
  await keepScreenshot(page, testInfo, "group-by-offered");
  await page.getByTestId("group-by-region").click(); // the last dimension: the field goes
  await expect(page.getByTestId("add-field-groupBy")).toBeVisible();
  await page.getByTestId("publish").click();
  await expect(page.getByTestId("notice")).toHaveText("Published version 1");
  await keepScreenshot(page, testInfo, "published-with-picked-metric");
});

test("a CSV with a misspelled event type is imported, says what counts for nothing, and shows in Unmatched usage", async ({
  page,
}, testInfo) => {
  const suffix = Date.now().toString(36);
  const at = new Date(Date.now() - 3_600_000).toISOString();
  await signIn(page);
  await page.goto("/");
  await page.getByTestId("nav-usage").click();
  await page
    .getByTestId("import-events-file")
    .setInputFiles(
      csv([
        "id,customer,type,timestamp,minutes,quality",
        `typo-${suffix}-1,acme-sports,video.encodd,${at},30,hd`,
        `typo-${suffix}-2,acme-sports,video.encodd,${at},12,sd`,
        `ok-${suffix}-3,acme-sports,video.encoded,${at},5,sd`,
      ]),
    );
  const result = page.getByTestId("import-events-result");
  await expect(result).toContainText("3 events imported");
  await expect(page.getByTestId("import-unmatched")).toContainText("2 of them count for nothing yet");
  await expect(page.getByTestId("import-unmatched")).toContainText('type "video.encodd" matches no metric');
  await keepScreenshot(page, testInfo, "import-unmatched");

  await page.getByTestId("import-unmatched-link").click();
  await expect(page.getByTestId("unmatched-title")).toHaveText("Unmatched usage");
  const typo = page.getByTestId("unmatched-row").filter({ hasText: "video.encodd" });
  await expect(typo).toContainText("No metric for the type");
  await expect(typo).toContainText("acme-sports");
  await expect(typo).toContainText("minutes=30");
  // The demo's own strays are there too: an unknown customer and a value that is not a number.
  await expect(page.getByTestId("unmatched-row").filter({ hasText: "acme-staging" })).toContainText(
    "Unknown customer",
  );
  await expect(page.getByTestId("unmatched-nonNumericValue")).not.toHaveText("0 events");
  await keepScreenshot(page, testInfo, "unmatched-usage");
});
