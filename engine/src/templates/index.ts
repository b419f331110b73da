import type { PlanDocumentInput } from "@pricegraph/shared";
import customPricing from "./custom-pricing.json" with { type: "json" };
import freeTier from "./free-tier.json" with { type: "json" };
import perUnit from "./per-unit.json" with { type: "json" };
import prepaidCommitment from "./prepaid-commitment.json" with { type: "json" };
import prepaidSubscription from "./prepaid-subscription.json" with { type: "json" };
import startupCredits from "./startup-credits.json" with { type: "json" };
import tiered from "./tiered.json" with { type: "json" };
import videoInfrastructure from "./video-infrastructure.json" with { type: "json" };
import volumePricing from "./volume-pricing.json" with { type: "json" };
import waterfallFreeUnits from "./waterfall-free-units.json" with { type: "json" };

// Plans for the editor's "start from template". Each example is a golden test (templates.test.ts):
// its input evaluated against the document must give exactly the expected invoice. The first example is the
// sample the editor opens the template with: chosen so the price curve shows the plan's shape.

export interface TemplateExample {
  name: string;
  input: {
    usage?: Record<string, string | { group: Record<string, string>; value: string }[]>;
    params?: Record<string, string>;
    credits?: Record<string, string>;
    proration?: string;
  };
  expected: { total: string; lines: { description: string; amount: string }[] };
}

export interface PlanTemplate {
  id: string;
  name: string;
  description: string;
  document: PlanDocumentInput;
  examples: TemplateExample[];
}

const video = (sd: string, hd: string, uhd: string) =>
  [
    { group: { quality: "sd" }, value: sd },
    { group: { quality: "hd" }, value: hd },
    { group: { quality: "4k" }, value: uhd },
  ].filter((g) => g.value !== "0");

export const templates: PlanTemplate[] = [
  {
    id: "per-unit",
    name: "Per unit",
    description: "Every API call at one price.",
    document: perUnit as PlanDocumentInput,
    examples: [
      {
        name: "12,345 calls",
        input: { usage: { api_calls: "12345" } },
        expected: { total: "24.69", lines: [{ description: "API calls", amount: "24.69" }] },
      },
      {
        name: "a contract rate of 0.0015",
        input: { usage: { api_calls: "1000000" }, params: { unit_price: "0.0015" } },
        expected: { total: "1500.00", lines: [{ description: "API calls", amount: "1500.00" }] },
      },
      {
        name: "no usage",
        input: { usage: { api_calls: "0" } },
        expected: { total: "0.00", lines: [{ description: "API calls", amount: "0.00" }] },
      },
    ],
  },
  {
    id: "tiered",
    name: "Tiered",
    description:
      "Graduated prices: the first 10,000 calls at one rate, the next 90,000 cheaper, the rest cheaper still.",
    document: tiered as PlanDocumentInput,
    examples: [
      {
        name: "inside the first tier",
        input: { usage: { api_calls: "5000" } },
        expected: { total: "50.00", lines: [{ description: "API calls", amount: "50.00" }] },
      },
      {
        name: "across all three tiers",
        input: { usage: { api_calls: "150000" } },
        expected: { total: "1070.00", lines: [{ description: "API calls", amount: "1070.00" }] },
      },
      {
        name: "a contract price for the first tier",
        input: { usage: { api_calls: "10000" }, params: { first_tier_price: "0.012" } },
        expected: { total: "120.00", lines: [{ description: "API calls", amount: "120.00" }] },
      },
    ],
  },
  {
    id: "prepaid-subscription",
    name: "Prepaid subscription with postpaid overages",
    description:
      "A subscription fee billed in advance that includes a number of calls; calls beyond it are billed in arrears.",
    document: prepaidSubscription as PlanDocumentInput,
    examples: [
      {
        name: "within the included calls",
        input: { usage: { api_calls: "5000" } },
        expected: { total: "99.00", lines: [{ description: "Subscription (in advance)", amount: "99.00" }] },
      },
      {
        name: "15,000 calls over",
        input: { usage: { api_calls: "25000" } },
        expected: {
          total: "129.00",
          lines: [
            { description: "Subscription (in advance)", amount: "99.00" },
            { description: "API calls beyond the included", amount: "30.00" },
          ],
        },
      },
      {
        name: "half a period, one call over (rounds to nothing, so hidden)",
        input: { usage: { api_calls: "10001" }, proration: "0.5" },
        expected: { total: "49.50", lines: [{ description: "Subscription (in advance)", amount: "49.50" }] },
      },
      {
        name: "a contract with a bigger allowance and fee",
        input: {
          usage: { api_calls: "60000" },
          params: { included_units: "50000", subscription_fee: "199" },
        },
        expected: {
          total: "219.00",
          lines: [
            { description: "Subscription (in advance)", amount: "199.00" },
            { description: "API calls beyond the included", amount: "20.00" },
          ],
        },
      },
    ],
  },
  {
    id: "prepaid-commitment",
    name: "Prepaid commitment with postpaid overages",
    description:
      "A monthly commitment paid in advance; usage draws it down, and usage beyond it is billed in arrears.",
    document: prepaidCommitment as PlanDocumentInput,
    examples: [
      {
        name: "usage inside the commitment",
        input: { usage: { compute_hours: "1200" } },
        expected: {
          total: "1000.00",
          lines: [{ description: "Monthly commitment (in advance)", amount: "1000.00" }],
        },
      },
      {
        name: "usage beyond the commitment",
        input: { usage: { compute_hours: "3000" } },
        expected: {
          total: "1500.00",
          lines: [
            { description: "Monthly commitment (in advance)", amount: "1000.00" },
            { description: "Usage beyond the commitment", amount: "500.00" },
          ],
        },
      },
      {
        name: "a contract with its own commitment and rate",
        input: { usage: { compute_hours: "6000" }, params: { commitment: "2000", hour_price: "0.40" } },
        expected: {
          total: "2400.00",
          lines: [
            { description: "Monthly commitment (in advance)", amount: "2000.00" },
            { description: "Usage beyond the commitment", amount: "400.00" },
          ],
        },
      },
    ],
  },
  {
    id: "video-infrastructure",
    name: "Video infrastructure",
    description:
      "Per-minute encoding prices by quality (a matrix), free delivery minutes that grow with volume, startup " +
      "credits against usage, a minimum monthly commitment (credit-funded usage counts towards it) and a platform fee in advance.",
    document: videoInfrastructure as PlanDocumentInput,
    examples: [
      {
        name: "a growing customer with some startup credit left",
        input: {
          usage: { video_minutes: video("20000", "50000", "5000"), delivery_minutes: "250000" },
          credits: { startup: "100" },
        },
        expected: {
          total: "759.00",
          lines: [
            { description: "Platform fee", amount: "99.00" },
            { description: "Video encoding", amount: "560.00" },
            { description: "Video delivery beyond free minutes", amount: "200.00" },
            { description: "Startup credits", amount: "-100.00" },
          ],
        },
      },
      {
        name: "half a month, under the commitment, credits cover usage",
        input: {
          usage: { video_minutes: video("0", "10000", "0"), delivery_minutes: "50000" },
          credits: { startup: "1000" },
          proration: "0.5",
        },
        expected: {
          total: "179.50",
          lines: [
            { description: "Platform fee", amount: "49.50" },
            { description: "Video encoding", amount: "80.00" },
            { description: "Video delivery beyond free minutes", amount: "40.00" },
            { description: "Minimum commitment true-up", amount: "130.00" },
            { description: "Startup credits", amount: "-120.00" },
          ],
        },
      },
      {
        name: "a contract with its own HD rate and free minutes",
        input: {
          usage: { video_minutes: video("0", "80000", "0"), delivery_minutes: "15000" },
          params: { hd_rate: "0.006", free_delivery: "20000" },
        },
        expected: {
          total: "599.00",
          lines: [
            { description: "Platform fee", amount: "99.00" },
            { description: "Video encoding", amount: "480.00" },
            { description: "Video delivery beyond free minutes", amount: "0.00" },
            { description: "Minimum commitment true-up", amount: "20.00" },
          ],
        },
      },
    ],
  },
  {
    id: "free-tier",
    name: "Free tier",
    description: "The first 10,000 API calls each month are free; every call beyond them is priced.",
    document: freeTier as PlanDocumentInput,
    examples: [
      {
        name: "50,000 calls beyond the free tier",
        input: { usage: { api_calls: "60000" } },
        expected: {
          total: "100.00",
          lines: [{ description: "API calls beyond the free tier", amount: "100.00" }],
        },
      },
      {
        name: "inside the free tier",
        input: { usage: { api_calls: "8000" } },
        expected: {
          total: "0.00",
          lines: [{ description: "API calls beyond the free tier", amount: "0.00" }],
        },
      },
      {
        name: "a contract with a bigger free tier and its own price",
        input: { usage: { api_calls: "60000" }, params: { free_calls: "50000", call_price: "0.0015" } },
        expected: {
          total: "15.00",
          lines: [{ description: "API calls beyond the free tier", amount: "15.00" }],
        },
      },
    ],
  },
  {
    id: "volume-pricing",
    name: "Volume pricing",
    description:
      "Every unit at the price of the band the month's total reaches: the more stored, the cheaper every GB.",
    document: volumePricing as PlanDocumentInput,
    examples: [
      {
        name: "5,000 GB: every GB at the second band's price",
        input: { usage: { storage_gb: "5000" } },
        expected: { total: "400.00", lines: [{ description: "Storage", amount: "400.00" }] },
      },
      {
        name: "the top of the first band",
        input: { usage: { storage_gb: "1000" } },
        expected: { total: "100.00", lines: [{ description: "Storage", amount: "100.00" }] },
      },
      {
        name: "one GB more costs less in all",
        input: { usage: { storage_gb: "1001" } },
        expected: { total: "80.08", lines: [{ description: "Storage", amount: "80.08" }] },
      },
      {
        name: "the last band",
        input: { usage: { storage_gb: "20000" } },
        expected: { total: "1000.00", lines: [{ description: "Storage", amount: "1000.00" }] },
      },
    ],
  },
  {
    id: "custom-pricing",
    name: "Custom pricing per contract",
    description:
      "A platform fee and a per-event rate that each contract negotiates: both are parameters with list-price defaults.",
    document: customPricing as PlanDocumentInput,
    examples: [
      {
        name: "list prices",
        input: { usage: { events: "80000" } },
        expected: {
          total: "900.00",
          lines: [
            { description: "Platform fee", amount: "500.00" },
            { description: "Events", amount: "400.00" },
          ],
        },
      },
      {
        name: "a negotiated contract",
        input: { usage: { events: "80000" }, params: { platform_fee: "1200", unit_price: "0.0035" } },
        expected: {
          total: "1480.00",
          lines: [
            { description: "Platform fee", amount: "1200.00" },
            { description: "Events", amount: "280.00" },
          ],
        },
      },
    ],
  },
  {
    id: "waterfall-free-units",
    name: "Waterfall free units",
    description:
      "Free delivery minutes that grow with usage: 10,000 free up to 100,000 minutes, 50,000 up to a million, 100,000 beyond.",
    document: waterfallFreeUnits as PlanDocumentInput,
    examples: [
      {
        name: "500,000 minutes: 50,000 free",
        input: { usage: { delivery_minutes: "500000" } },
        expected: {
          total: "450.00",
          lines: [{ description: "Delivered minutes beyond the free ones", amount: "450.00" }],
        },
      },
      {
        name: "60,000 minutes: 10,000 free",
        input: { usage: { delivery_minutes: "60000" } },
        expected: {
          total: "50.00",
          lines: [{ description: "Delivered minutes beyond the free ones", amount: "50.00" }],
        },
      },
      {
        name: "two million minutes: 100,000 free",
        input: { usage: { delivery_minutes: "2000000" } },
        expected: {
          total: "1900.00",
          lines: [{ description: "Delivered minutes beyond the free ones", amount: "1900.00" }],
        },
      },
    ],
  },
  {
    id: "startup-credits",
    name: "Startup credits",
    description:
      "Compute billed per hour and paid first from a startup credit pool; each contract grants its own amount.",
    document: startupCredits as PlanDocumentInput,
    examples: [
      {
        name: "3,000 hours with 1,000 of credits",
        input: { usage: { compute_hours: "3000" }, credits: { startup: "1000" } },
        expected: {
          total: "500.00",
          lines: [
            { description: "Compute", amount: "1500.00" },
            { description: "Startup credits", amount: "-1000.00" },
          ],
        },
      },
      {
        name: "usage the credits cover entirely",
        input: { usage: { compute_hours: "1500" }, credits: { startup: "1000" } },
        expected: {
          total: "0.00",
          lines: [
            { description: "Compute", amount: "750.00" },
            { description: "Startup credits", amount: "-750.00" },
          ],
        },
      },
      {
        name: "credits used up (the credit line is hidden at zero)",
        input: { usage: { compute_hours: "3000" }, credits: { startup: "0" } },
        expected: { total: "1500.00", lines: [{ description: "Compute", amount: "1500.00" }] },
      },
    ],
  },
];
