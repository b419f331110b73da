import type { PlanDocumentInput } from "@pricegraph/shared";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { CustomerUsage } from "../api/customers.ts";
import { ContractTermsForm } from "./ContractTermsForm.tsx";
import {
  type ContractTerms,
  contractBody,
  currentPeriod,
  localMidnight,
  quoteInput,
} from "./contractForm.ts";

afterEach(cleanup);

/** usage → per unit (rate param) → credits (promo) → line, plus a prorated platform fee billed in advance. */
const document: PlanDocumentInput = {
  format: "pricegraph/v1",
  currency: "USD",
  params: [
    { key: "rate", label: "Price per call", type: "money", default: "0.01" },
    { key: "fee", type: "money", default: "30" },
  ],
  nodes: [
    { id: "calls", type: "usage", position: { x: 0, y: 0 }, data: { metric: "api_calls" } },
    { id: "price", type: "perUnit", position: { x: 200, y: 0 }, data: { unitPrice: { param: "rate" } } },
    { id: "promo", type: "credits", position: { x: 400, y: 0 }, data: { grant: "promo" } },
    { id: "callsLine", type: "invoiceLine", position: { x: 600, y: 0 }, data: { description: "API calls" } },
    {
      id: "fee",
      type: "flatFee",
      position: { x: 400, y: 200 },
      data: { amount: { param: "fee" }, prorate: true },
    },
    {
      id: "feeLine",
      type: "invoiceLine",
      position: { x: 600, y: 200 },
      data: { description: "Platform", timing: "advance" },
    },
  ],
  edges: [
    { id: "e1", source: "calls", sourceHandle: "out", target: "price", targetHandle: "in" },
    { id: "e2", source: "price", sourceHandle: "out", target: "promo", targetHandle: "in" },
    { id: "e3", source: "promo", sourceHandle: "out", target: "callsLine", targetHandle: "amount" },
    { id: "e4", source: "calls", sourceHandle: "out", target: "callsLine", targetHandle: "quantity" },
    { id: "e5", source: "fee", sourceHandle: "out", target: "feeLine", targetHandle: "amount" },
  ],
};

const usage: CustomerUsage = {
  from: "2026-11-01T00:00:00.000Z",
  to: "2026-11-16T00:00:00.000Z",
  metrics: [{ key: "api_calls", value: "1000" }],
};

// Mid-November 2026 in UTC; a contract starting today serves Nov 15–30 = 16 of 30 days.
const now = new Date("2026-11-15T12:00:00Z");

function renderForm(onSubmit = vi.fn()) {
  const loadUsage = vi.fn(async () => usage);
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <ContractTermsForm
        document={document}
        timeZone="UTC"
        usageKey="cus_1"
        loadUsage={loadUsage}
        onSubmit={onSubmit}
        now={now}
      />
    </QueryClientProvider>,
  );
  return { onSubmit, loadUsage };
}

const total = () => screen.getByTestId("quote-total").textContent;
const line = (id: string) => screen.getByTestId(`quote-line-${id}`).textContent;
const type = (testId: string, value: string) =>
  fireEvent.change(screen.getByTestId(testId), { target: { value } });

describe("contract form", () => {
  it("shows each parameter's default and quotes the current period with the customer's usage", async () => {
    const { loadUsage } = renderForm();
    expect(screen.getByTestId("param-default-rate").textContent).toBe("0.01");
    expect(screen.getByTestId("param-default-fee").textContent).toBe("30");
    // 1000 calls × 0.01 = 10.00; the platform fee 30 × 16/30 = 16.00.
    await waitFor(() => expect(total()).toBe("USD 26.00"));
    expect(line("callsLine")).toContain("USD 10.00");
    expect(line("feeLine")).toContain("USD 16.00");
    expect(loadUsage).toHaveBeenCalledWith({ from: "2026-11-15T00:00:00.000Z", to: now.toISOString() });
  });

  it("prices what-if usage typed in the quote instead of the usage measured so far", async () => {
    renderForm();
    await waitFor(() => expect(total()).toBe("USD 26.00"));
    type("what-if-api_calls", "250000");
    // 250,000 calls × 0.01 = 2,500.00, plus the prorated fee 16.00.
    expect(line("callsLine")).toContain("USD 2,500.00");
    expect(total()).toBe("USD 2,516.00");
    expect(screen.getByTestId("quote-what-if-note").textContent).toContain("not the usage measured");
    type("what-if-api_calls", "");
    expect(total()).toBe("USD 26.00");
  });

  it("recomputes the quote as overrides, grants and dates change", async () => {
    renderForm();
    await waitFor(() => expect(total()).toBe("USD 26.00"));
    type("override-rate", "0.025");
    expect(line("callsLine")).toContain("USD 25.00");
    expect(total()).toBe("USD 41.00");

    fireEvent.click(screen.getByTestId("add-grant"));
    type("grant-0-amount", "7.5");
    expect(line("callsLine")).toContain("USD 17.50");
    expect(total()).toBe("USD 33.50");

    // Starting on the 1st serves the whole month: no proration of the fee.
    type("contract-start", "2026-11-01");
    await waitFor(() => expect(line("feeLine")).toContain("USD 30.00"));
    expect(total()).toBe("USD 47.50");
  });

  it("validates overrides as decimals inline and prices invalid ones at the default", async () => {
    const { onSubmit } = renderForm();
    await waitFor(() => expect(total()).toBe("USD 26.00"));
    type("override-rate", "1,5");
    expect(screen.getByTestId("error-overrides.rate").textContent).toBe("Enter a decimal such as 12.50");
    expect(screen.getByTestId("override-rate").getAttribute("aria-invalid")).toBe("true");
    expect(total()).toBe("USD 26.00");
    expect(screen.getByTestId("quote-defaults-note")).toBeTruthy();

    fireEvent.click(screen.getByTestId("add-grant"));
    type("grant-0-amount", "-3");
    expect(screen.getByTestId("error-grants.0.amount").textContent).toBe("Must be positive");
    type("contract-end", "2026-11-10");
    expect(screen.getByTestId("error-endDate").textContent).toBe("Must be after the start date");

    fireEvent.click(screen.getByTestId("create-contract"));
    expect(onSubmit).not.toHaveBeenCalled();
    expect(screen.getByTestId("contract-form-invalid")).toBeTruthy();

    type("override-rate", "1.5");
    type("grant-0-amount", "3");
    type("contract-end", "");
    expect(screen.queryByTestId("error-overrides.rate")).toBeNull();
    fireEvent.click(screen.getByTestId("create-contract"));
    expect(onSubmit).toHaveBeenCalledTimes(1);
    const terms = onSubmit.mock.calls[0][0] as ContractTerms;
    expect(contractBody(terms, document, { customerId: "cus_1", planId: "pln_1", planVersion: 2 })).toEqual({
      customerId: "cus_1",
      planId: "pln_1",
      planVersion: 2,
      startDate: "2026-11-15",
      endDate: null,
      billingPeriod: "monthly",
      paramOverrides: { rate: "1.5" },
      creditGrants: [{ pool: "promo", amount: "3" }],
    });
  });
});

describe("current period and quote input", () => {
  it("prorates a partial first period like billing (days served / days in the period)", () => {
    const period = currentPeriod(
      { startDate: "2026-11-15", endDate: "", billingPeriod: "monthly" },
      "UTC",
      now,
    );
    expect(period).toMatchObject({
      startDate: "2026-11-15",
      endDate: "2026-12-01",
      proration: "0.5333333333333333333333333333333333333333",
    });
    const quarter = currentPeriod(
      { startDate: "2026-01-01", endDate: "", billingPeriod: "quarterly" },
      "UTC",
      now,
    );
    expect(quarter).toMatchObject({ startDate: "2026-10-01", endDate: "2027-01-01", proration: "1" });
    // An end date inside the period cuts it (inclusive end).
    const ending = currentPeriod(
      { startDate: "2026-11-01", endDate: "2026-11-20", billingPeriod: "monthly" },
      "UTC",
      now,
    );
    expect(ending).toMatchObject({
      endDate: "2026-11-21",
      proration: "0.6666666666666666666666666666666666666667",
    });
  });

  it("starts the usage window at the customer's local midnight", () => {
    expect(localMidnight("2026-11-01", "Asia/Seoul").toISOString()).toBe("2026-10-31T15:00:00.000Z");
    expect(localMidnight("2026-07-01", "America/New_York").toISOString()).toBe("2026-07-01T04:00:00.000Z");
  });

  it("counts only unexpired grants and regroups grouped usage to the node's dimensions", () => {
    const grouped: PlanDocumentInput = {
      ...document,
      nodes: document.nodes.map((n) =>
        n.id === "calls" ? { ...n, data: { metric: "api_calls", groupBy: ["region"] } } : n,
      ),
    };
    const terms: ContractTerms = {
      startDate: "2026-11-01",
      endDate: "",
      billingPeriod: "monthly",
      overrides: { rate: "0.02", fee: "" },
      grants: [
        { pool: "promo", amount: "5", expiresOn: "" },
        { pool: "promo", amount: "2.5", expiresOn: "2027-06-01" },
        { pool: "promo", amount: "100", expiresOn: "2026-11-20" },
      ],
    };
    const input = quoteInput(
      terms,
      grouped,
      {
        from: "",
        to: "",
        metrics: [
          {
            key: "api_calls",
            value: "6",
            groups: [
              { group: { region: "eu", tier: "a" }, value: "1" },
              { group: { region: "eu", tier: "b" }, value: "2" },
              { group: { region: "us", tier: "a" }, value: "3" },
            ],
          },
        ],
      },
      { startDate: "2026-11-01", endDate: "2026-12-01", proration: "1", usageFrom: "", usageTo: "" },
    );
    expect(input).toEqual({
      usage: {
        api_calls: [
          { group: { region: "eu" }, value: "3" },
          { group: { region: "us" }, value: "3" },
        ],
      },
      params: { rate: "0.02" },
      credits: { promo: "7.5" },
      proration: "1",
    });
  });
});
