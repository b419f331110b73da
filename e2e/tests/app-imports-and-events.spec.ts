import { expect, test } from "@playwright/test";
import { keepScreenshot, signIn } from "./support/app.ts";

const csv = (rows: string[]) => ({
  name: "upload.csv",
  mimeType: "text/csv",
  buffer: Buffer.from(`${rows.join("\n")}\n`),
});

test("CSV imports show every bad row and store nothing, then import; recent events search by customer and type", async ({
  page,
}, testInfo) => {
  const suffix = Date.now().toString(36);
  await signIn(page);
  await page.goto("/");
  await page.getByTestId("nav-usage").click();

  // ---- customers: two bad rows are listed with row and column; nothing is imported ----
  await page
    .getByTestId("import-customers-file")
    .setInputFiles(
      csv([
        "externalId,name,email,timezone,currency",
        `imp-a-${suffix},Alpha ${suffix},a@alpha.example,Europe/Paris,EUR`,
        `imp-b-${suffix},Beta ${suffix},b@beta.example,Mars/Olympus,USD`,
        `imp-c-${suffix},Gamma ${suffix},not-an-email,UTC,USD`,
      ]),
    );
  const customerErrors = page.getByTestId("import-customers-errors");
  await expect(customerErrors).toBeVisible();
  const rows = customerErrors.getByTestId("import-customers-error-row");
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toContainText("3");
  await expect(rows.nth(0)).toContainText("timezone");
  await expect(rows.nth(1)).toContainText("4");
  await expect(rows.nth(1)).toContainText("email");
  await keepScreenshot(page, testInfo, "customers-csv-errors");

  await page
    .getByTestId("import-customers-file")
    .setInputFiles(
      csv([
        "externalId,name,email,timezone,currency",
        `imp-a-${suffix},Alpha ${suffix},a@alpha.example,Europe/Paris,EUR`,
        `imp-b-${suffix},Beta ${suffix},b@beta.example,UTC,USD`,
      ]),
    );
  await expect(page.getByTestId("import-customers-result")).toHaveText(/2 customers imported/);

  // ---- events: a bad timestamp is refused with its row; the fixed file is imported ----
  const header = "id,customer,type,timestamp,calls";
  const good = [1, 2, 3].map(
    (i) => `ev-${suffix}-${i},imp-a-${suffix},api.batch,2026-01-0${i}T10:00:00Z,${i * 10}`,
  );
  await page
    .getByTestId("import-events-file")
    .setInputFiles(csv([header, ...good, `ev-${suffix}-4,imp-b-${suffix},api.other,yesterday,5`]));
  const eventErrors = page.getByTestId("import-events-error-row");
  await expect(eventErrors).toHaveCount(1);
  await expect(eventErrors.first()).toContainText("5");
  await expect(eventErrors.first()).toContainText("timestamp");
  await page
    .getByTestId("import-events-file")
    .setInputFiles(csv([header, ...good, `ev-${suffix}-4,imp-b-${suffix},api.other,2026-01-04T10:00:00Z,5`]));
  await expect(page.getByTestId("import-events-result")).toHaveText(/4 events imported/);
  // The same file again: every event is a duplicate, nothing counted twice.
  await page
    .getByTestId("import-events-file")
    .setInputFiles(csv([header, ...good, `ev-${suffix}-4,imp-b-${suffix},api.other,2026-01-04T10:00:00Z,5`]));
  await expect(page.getByTestId("import-events-result")).toHaveText(
    /0 events imported, 4 duplicates skipped/,
  );

  // ---- recent events, searched by customer and by type ----
  await page.getByTestId("events-customer").fill(`imp-a-${suffix}`);
  await expect(page.getByTestId("event-row")).toHaveCount(3);
  await expect(page.getByTestId("event-row").first()).toContainText("calls=30");
  await page.getByTestId("events-customer").fill(`imp-b-${suffix}`);
  await expect(page.getByTestId("event-row")).toHaveCount(1);
  await page.getByTestId("events-type").fill("api.batch");
  await expect(page.getByTestId("events-empty")).toBeVisible();
  await page.getByTestId("events-type").fill("api.other");
  await expect(page.getByTestId("event-row")).toHaveCount(1);
  await keepScreenshot(page, testInfo, "events");

  // ---- the imported customers are there, found by the server's search ----
  await page.getByTestId("nav-customers").click();
  await page.getByTestId("customer-search").fill(`imp-a-${suffix}`);
  await expect(page.locator('[data-testid^="customer-row-"]')).toHaveCount(1);
  await expect(page.getByTestId(`customer-row-imp-a-${suffix}`)).toContainText(`Alpha ${suffix}`);
  await page.getByTestId("customer-search").fill(`nobody-${suffix}`);
  await expect(page.getByTestId("customers-empty")).toBeVisible();
});
