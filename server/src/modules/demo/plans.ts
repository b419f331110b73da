import type { PlanDocumentInput } from "@pricegraph/shared";

/**
 * The demo's two hand-written plans (the third is the engine's `video-infrastructure` template). They price the
 * same two metrics three ways, so the demo shows per-unit, volume and graduated models side by side.
 */

const at = (x: number, y: number) => ({ x, y });

/** Starter: every encoded and delivered minute at one price each. */
export const starterPlan: PlanDocumentInput = {
  format: "pricegraph/v1",
  currency: "USD",
  params: [
    { key: "minute_rate", label: "Price per encoded minute", type: "money", default: "0.01" },
    { key: "delivery_rate", label: "Price per delivered minute", type: "money", default: "0.0015" },
  ],
  nodes: [
    {
      id: "encoded",
      type: "usage",
      position: at(0, 0),
      data: { metric: "video_minutes", label: "Encoded minutes" },
    },
    {
      id: "encodePrice",
      type: "perUnit",
      position: at(260, 0),
      data: { unitPrice: { param: "minute_rate" } },
    },
    {
      id: "lineEncoding",
      type: "invoiceLine",
      position: at(520, 0),
      data: { description: "Encoded minutes", product: "encoding" },
    },
    {
      id: "delivered",
      type: "usage",
      position: at(0, 160),
      data: { metric: "delivery_minutes", label: "Delivered minutes" },
    },
    {
      id: "deliveryPrice",
      type: "perUnit",
      position: at(260, 160),
      data: { unitPrice: { param: "delivery_rate" } },
    },
    {
      id: "lineDelivery",
      type: "invoiceLine",
      position: at(520, 160),
      data: { description: "Delivered minutes", product: "delivery" },
    },
  ],
  edges: [
    { id: "e1", source: "encoded", sourceHandle: "out", target: "encodePrice", targetHandle: "in" },
    { id: "e2", source: "encodePrice", sourceHandle: "out", target: "lineEncoding", targetHandle: "amount" },
    { id: "e3", source: "encoded", sourceHandle: "out", target: "lineEncoding", targetHandle: "quantity" },
    { id: "e4", source: "delivered", sourceHandle: "out", target: "deliveryPrice", targetHandle: "in" },
    {
      id: "e5",
      source: "deliveryPrice",
      sourceHandle: "out",
      target: "lineDelivery",
      targetHandle: "amount",
    },
    { id: "e6", source: "delivered", sourceHandle: "out", target: "lineDelivery", targetHandle: "quantity" },
  ],
};

/**
 * Growth: a subscription in advance, encoding at volume prices (all minutes at the rate of the tier reached),
 * included delivery minutes then graduated delivery prices, and startup credits against usage.
 */
export const growthPlan: PlanDocumentInput = {
  format: "pricegraph/v1",
  currency: "USD",
  params: [
    { key: "subscription", label: "Monthly subscription", type: "money", default: "249" },
    { key: "encode_rate", label: "Price per encoded minute, up to 25,000", type: "money", default: "0.009" },
    { key: "included_delivery", label: "Included delivery minutes", type: "quantity", default: "50000" },
  ],
  nodes: [
    {
      id: "fee",
      type: "flatFee",
      position: at(780, 0),
      data: { amount: { param: "subscription" }, prorate: true, label: "Subscription" },
    },
    {
      id: "lineFee",
      type: "invoiceLine",
      position: at(1040, 0),
      data: { description: "Growth subscription", product: "platform", timing: "advance" },
    },
    {
      id: "encoded",
      type: "usage",
      position: at(0, 140),
      data: { metric: "video_minutes", label: "Encoded minutes" },
    },
    {
      id: "encodeVolume",
      type: "volume",
      position: at(260, 140),
      data: {
        label: "Volume price",
        tiers: [
          { upTo: "25000", unitPrice: { param: "encode_rate" } },
          { upTo: "100000", unitPrice: "0.007" },
          { upTo: null, unitPrice: "0.005" },
        ],
      },
    },
    {
      id: "lineEncoding",
      type: "invoiceLine",
      position: at(1040, 140),
      data: { description: "Video encoding (volume price)", product: "encoding" },
    },
    {
      id: "delivered",
      type: "usage",
      position: at(0, 280),
      data: { metric: "delivery_minutes", label: "Delivered minutes" },
    },
    {
      id: "included",
      type: "freeUnits",
      position: at(260, 280),
      data: { allowance: { param: "included_delivery" }, label: "Included minutes" },
    },
    {
      id: "deliveryTiers",
      type: "tiered",
      position: at(520, 280),
      data: {
        label: "Graduated delivery",
        tiers: [
          { upTo: "500000", unitPrice: "0.0012" },
          { upTo: null, unitPrice: "0.0008" },
        ],
      },
    },
    {
      id: "lineDelivery",
      type: "invoiceLine",
      position: at(1040, 280),
      data: { description: "Delivery beyond included minutes", product: "delivery" },
    },
    { id: "usageTotal", type: "sum", position: at(520, 420), data: { label: "Usage charges" } },
    {
      id: "startup",
      type: "credits",
      position: at(780, 420),
      data: { grant: "startup", label: "Startup credits" },
    },
    {
      id: "lineCredits",
      type: "invoiceLine",
      position: at(1040, 420),
      data: { description: "Startup credits", product: "credits", hideWhenZero: true },
    },
    {
      id: "stored",
      type: "usage",
      position: at(0, 560),
      data: { metric: "storage_gb", label: "Stored GB-months" },
    },
    {
      id: "storagePrice",
      type: "perUnit",
      position: at(260, 560),
      data: { unitPrice: "0.05", label: "Per GB-month" },
    },
    {
      id: "lineStorage",
      type: "invoiceLine",
      position: at(1040, 560),
      data: { description: "Video storage (GB-months, time-weighted)", product: "storage" },
    },
  ],
  edges: [
    { id: "e1", source: "fee", sourceHandle: "out", target: "lineFee", targetHandle: "amount" },
    { id: "e2", source: "encoded", sourceHandle: "out", target: "encodeVolume", targetHandle: "in" },
    { id: "e3", source: "encodeVolume", sourceHandle: "out", target: "lineEncoding", targetHandle: "amount" },
    { id: "e4", source: "encoded", sourceHandle: "out", target: "lineEncoding", targetHandle: "quantity" },
    { id: "e5", source: "delivered", sourceHandle: "out", target: "included", targetHandle: "in" },
    { id: "e6", source: "included", sourceHandle: "billable", target: "deliveryTiers", targetHandle: "in" },
    {
      id: "e7",
      source: "deliveryTiers",
      sourceHandle: "out",
      target: "lineDelivery",
      targetHandle: "amount",
    },
    {
      id: "e8",
      source: "included",
      sourceHandle: "billable",
      target: "lineDelivery",
      targetHandle: "quantity",
    },
    { id: "e9", source: "encodeVolume", sourceHandle: "out", target: "usageTotal", targetHandle: "in" },
    { id: "e10", source: "deliveryTiers", sourceHandle: "out", target: "usageTotal", targetHandle: "in" },
    { id: "e11", source: "usageTotal", sourceHandle: "out", target: "startup", targetHandle: "in" },
    { id: "e12", source: "startup", sourceHandle: "applied", target: "lineCredits", targetHandle: "amount" },
    { id: "e13", source: "stored", sourceHandle: "out", target: "storagePrice", targetHandle: "in" },
    { id: "e14", source: "storagePrice", sourceHandle: "out", target: "lineStorage", targetHandle: "amount" },
    { id: "e15", source: "stored", sourceHandle: "out", target: "lineStorage", targetHandle: "quantity" },
  ],
};
