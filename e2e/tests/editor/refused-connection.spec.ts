import { expect, test } from "@playwright/test";
import { connect, handle, keepScreenshot, meteredChain, openNewPlan, plan } from "../support/app.ts";

test("a connection the engine would reject is refused with its reason", async ({
  page,
  request,
}, testInfo) => {
  await openNewPlan(
    page,
    request,
    "Refusals",
    plan(
      [
        ...meteredChain("seats", "10", "Seats"),
        { id: "n4", type: "math", x: 280, y: 220, data: { op: "add" } },
        { id: "n5", type: "sum", x: 560, y: 220, data: {} },
        { id: "n6", type: "maximum", x: 0, y: 220, data: { amount: "100" } },
      ],
      ["n1.out>n2.in", "n2.out>n3.amount", "n1.out>n4.a", "n4.out>n5.in"],
    ),
  );
  await expect(page.locator(".react-flow__edge")).toHaveCount(4);

  // Wrong type: a quantity into a money input.
  await connect(page, handle(page, "n1", "out", "out"), handle(page, "n6", "in", "in"));
  const toast = page.getByTestId("connection-refused");
  await expect(toast).toContainText("Wrong type");
  await expect(toast).toContainText("takes money");
  await expect(toast).toContainText("quantity");
  await expect(page.locator(".react-flow__edge")).toHaveCount(4);
  await keepScreenshot(page, testInfo, "refused-wrong-type");

  // A second edge into an input that takes one.
  await connect(page, handle(page, "n5", "out", "out"), handle(page, "n3", "in", "amount"));
  await expect(toast).toContainText("takes one connection and already has one");
  await expect(page.locator(".react-flow__edge")).toHaveCount(4);

  // A cycle: the sum fed back into the math node that feeds it.
  await connect(page, handle(page, "n5", "out", "out"), handle(page, "n4", "in", "b"));
  await expect(toast).toContainText("cycle");
  await expect(page.locator(".react-flow__edge")).toHaveCount(4);
  await keepScreenshot(page, testInfo, "refused-cycle");

  // A valid connection still goes through.
  await connect(page, handle(page, "n1", "out", "out"), handle(page, "n3", "in", "quantity"));
  await expect(page.locator(".react-flow__edge")).toHaveCount(5);
});
