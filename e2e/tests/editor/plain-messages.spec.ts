import { expect, test } from "@playwright/test";
import { keepScreenshot, openNewPlan, plan } from "../support/app.ts";

// Problems name the node as the canvas shows it and the field as the inspector labels it; a click puts the
// cursor on that field. Codes and node ids stay in the API, not on screen.
test("problems read as the node's name and the field's label, and lead to the field", async ({
  page,
  request,
}, testInfo) => {
  await openNewPlan(
    page,
    request,
    "Plain words",
    plan(
      [
        { id: "n1", type: "usage", x: 0, y: 0, data: { metric: "minutes" } },
        {
          id: "n2",
          type: "tiered",
          x: 280,
          y: 0,
          data: {
            label: "Minute tiers",
            tiers: [
              { upTo: "500", unitPrice: "0.02" },
              { upTo: "400", unitPrice: "0.01" },
              { upTo: null, unitPrice: "0.005" },
            ],
          },
        },
        { id: "n6", type: "invoiceLine", x: 560, y: 0, data: { description: "Video minutes" } },
      ],
      ["n1.out>n2.in"],
    ),
  );
  await page.getByTestId("tab-preview").click();
  const list = page.getByTestId("problem-list");
  await expect(list).toContainText("Invoice line 'Video minutes' needs an amount connected");
  await expect(list).toContainText(
    "Tiered (graduated) 'Minute tiers': Tier 2: up to must be greater than 500",
  );
  await expect(list).not.toContainText("n6");
  await expect(list).not.toContainText("INVALID_NODE_DATA");
  await expect(list).not.toContainText("INPUT_UNCONNECTED");
  await keepScreenshot(page, testInfo, "problems-in-words");

  // The tier problem leads to the tier's "up to" field, with the cursor in it.
  await list.getByText("Tier 2: up to must be greater than 500").click();
  await expect(page.getByTestId("field-tiers.1.upTo")).toBeFocused();
  await page.getByTestId("field-tiers.1.upTo").fill("2000");

  // The unconnected amount leads to the invoice line's amount input, chosen from the keyboard.
  await page.getByTestId("tab-preview").click();
  await page.getByTestId("problem-list").getByText("needs an amount connected").click();
  const amount = page.getByTestId("connect-amount");
  await expect(amount).toBeFocused();
  await amount.selectOption({ label: "Tiered (graduated) 'Minute tiers'" });
  await expect(page.locator(".react-flow__edge")).toHaveCount(2);
  await expect(page.getByTestId("toolbar-total")).toBeVisible();
});

test("free units choose between an allowance and a waterfall without a hidden step", async ({
  page,
  request,
}) => {
  await openNewPlan(
    page,
    request,
    "Free units choice",
    plan(
      [
        { id: "n1", type: "usage", x: 0, y: 0, data: { metric: "minutes" } },
        { id: "n2", type: "freeUnits", x: 280, y: 0, data: { allowance: "1000" } },
        { id: "n3", type: "perUnit", x: 560, y: 0, data: { unitPrice: "0.01" } },
        { id: "n4", type: "invoiceLine", x: 840, y: 0, data: { description: "Minutes" } },
        { id: "n5", type: "credits", x: 840, y: 200, data: { grant: "startup" } },
      ],
      ["n1.out>n2.in", "n2.billable>n3.in", "n3.out>n4.amount"],
    ),
  );
  await page.getByTestId("node-n2").click();
  await expect(page.getByTestId("choose-allowance")).toBeChecked();
  await page.getByTestId("choose-tiers").check();
  await expect(page.getByTestId("tiers-tiers")).toBeVisible();
  await expect(page.getByTestId("field-allowance")).toHaveCount(0);
  await expect(page.getByTestId("node-problem-n2")).toHaveCount(0);
  await page.getByTestId("choose-allowance").check();
  await expect(page.getByTestId("field-allowance")).toBeVisible();

  // The credits node says its field names a pool, and that amounts are granted per contract.
  await page.getByTestId("node-n5").click();
  await expect(page.getByTestId("inspector")).toContainText("Credit pool");
  await expect(page.getByTestId("help-grant")).toContainText("granted per contract");
});
