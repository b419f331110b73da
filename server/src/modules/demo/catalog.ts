/**
 * The demo's product catalog: what the demo plans' invoice lines name as their `product` (the codes the plans
 * and the video-infrastructure template already use), grouped under one product, plus an add-on sold on top.
 */
export interface DemoProduct {
  code: string;
  name: string;
  description: string;
  accountingCode?: string;
  /** Code of the product it is a sub-product of. */
  parent?: string;
  kind?: "product" | "add_on";
}

export const demoProducts: DemoProduct[] = [
  {
    code: "video",
    name: "Video platform",
    description: "Encoding and delivery of video",
    accountingCode: "4000",
  },
  {
    code: "platform",
    name: "Platform subscription",
    description: "The monthly platform fee",
    accountingCode: "4000",
    parent: "video",
  },
  {
    code: "encoding",
    name: "Encoding",
    description: "Minutes of video encoded, by quality",
    accountingCode: "4010",
    parent: "video",
  },
  {
    code: "delivery",
    name: "Delivery",
    description: "Minutes of video streamed to viewers",
    accountingCode: "4020",
    parent: "video",
  },
  {
    code: "commitment",
    name: "Minimum commitment",
    description: "The shortfall below a committed monthly spend",
    accountingCode: "4030",
    parent: "video",
  },
  {
    code: "credits",
    name: "Credits",
    description: "Prepaid and promotional credits used",
    accountingCode: "4900",
  },
  {
    code: "premium-support",
    name: "Premium support",
    description: "A named support engineer and a one-hour response time",
    accountingCode: "4500",
    kind: "add_on",
  },
];
