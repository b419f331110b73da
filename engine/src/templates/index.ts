import type { PlanDocumentInput } from "@pricegraph/shared";
import perUnit from "./per-unit.json" with { type: "json" };
import prepaidCommitment from "./prepaid-commitment.json" with { type: "json" };
import prepaidSubscription from "./prepaid-subscription.json" with { type: "json" };
import tiered from "./tiered.json" with { type: "json" };
import videoInfrastructure from "./video-infrastructure.json" with { type: "json" };

// Plans for the editor's "start from template". Each example is a golden test (templates.test.ts):
// its input evaluated against the document must give exactly the expected invoice.

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
];
