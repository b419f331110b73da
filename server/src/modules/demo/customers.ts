/** The demo's twenty customers of a video-infrastructure company, with their contracts and usage profiles. */

export type DemoPlanKey = "starter" | "growth" | "video";

export interface DemoCustomer {
  externalId: string;
  name: string;
  email: string;
  timezone: string;
  plan: DemoPlanKey;
  /** Contract start, in days after the start of the three months of usage (0–30). */
  startDay: number;
  paramOverrides?: Record<string, string>;
  /**
   * An amendment from the 15th of the month before the seed's month on the customer's calendar (that month's
   * invoice is then priced per
   * phase, with lines labelled by phase): new overrides, and why.
   */
  amendment?: { paramOverrides: Record<string, string>; reason: string };
  /** A `startup` credit grant; `expiresInDays` counts from the contract start. */
  startupCredit?: { amount: string; expiresInDays?: number };
  usage: {
    /** Encoded minutes in a 30-day month at the start of the window. */
    monthlyMinutes: number;
    /** Share of encoded minutes per quality: sd, hd, 4k. */
    mix: [number, number, number];
    /** Delivered minutes per encoded minute. */
    deliveryRatio: number;
    /** Month-over-month growth (0.1 = +10 %). */
    growth: number;
  };
}

export const demoCustomers: DemoCustomer[] = [
  {
    externalId: "acme-sports",
    name: "Acme Sports Network",
    email: "billing@acmesports.example",
    timezone: "America/New_York",
    plan: "video",
    startDay: 0,
    paramOverrides: { hd_rate: "0.0065", commitment: "1500" },
    amendment: {
      paramOverrides: { hd_rate: "0.006", commitment: "1800" },
      reason: "Renegotiated after the volume review: lower HD rate, higher commitment",
    },
    usage: { monthlyMinutes: 140_000, mix: [0.2, 0.6, 0.2], deliveryRatio: 6, growth: 0.08 },
  },
  {
    externalId: "brightwave",
    name: "Brightwave Learning",
    email: "ap@brightwave.example",
    timezone: "America/Chicago",
    plan: "growth",
    startDay: 3,
    startupCredit: { amount: "500" },
    usage: { monthlyMinutes: 30_000, mix: [0.5, 0.5, 0], deliveryRatio: 4, growth: 0.15 },
  },
  {
    externalId: "cinder-studios",
    name: "Cinder Studios",
    email: "finance@cinder.example",
    timezone: "America/Los_Angeles",
    plan: "video",
    startDay: 10,
    startupCredit: { amount: "2000" },
    usage: { monthlyMinutes: 60_000, mix: [0.1, 0.5, 0.4], deliveryRatio: 3, growth: 0.2 },
  },
  {
    externalId: "dunmore-fitness",
    name: "Dunmore Fitness",
    email: "accounts@dunmore.example",
    timezone: "Europe/London",
    plan: "starter",
    startDay: 0,
    usage: { monthlyMinutes: 6_000, mix: [0.4, 0.6, 0], deliveryRatio: 5, growth: 0.05 },
  },
  {
    externalId: "echo-church",
    name: "Echo Church Media",
    email: "office@echochurch.example",
    timezone: "America/Denver",
    plan: "starter",
    startDay: 5,
    paramOverrides: { minute_rate: "0.008" },
    usage: { monthlyMinutes: 3_500, mix: [0.7, 0.3, 0], deliveryRatio: 8, growth: 0 },
  },
  {
    externalId: "fjord-films",
    name: "Fjord Films",
    email: "okonomi@fjordfilms.example",
    timezone: "Europe/Oslo",
    plan: "video",
    startDay: 0,
    paramOverrides: { uhd_rate: "0.014" },
    usage: { monthlyMinutes: 45_000, mix: [0.05, 0.45, 0.5], deliveryRatio: 2, growth: 0.1 },
  },
  {
    externalId: "galapagos-tv",
    name: "Galápagos Travel TV",
    email: "cuentas@galapagostv.example",
    timezone: "America/Guayaquil",
    plan: "growth",
    startDay: 0,
    usage: { monthlyMinutes: 55_000, mix: [0.3, 0.6, 0.1], deliveryRatio: 5, growth: 0.03 },
  },
  {
    externalId: "harbor-health",
    name: "Harbor Health Academy",
    email: "billing@harborhealth.example",
    timezone: "Australia/Sydney",
    plan: "growth",
    startDay: 14,
    paramOverrides: { subscription: "199", encode_rate: "0.008" },
    startupCredit: { amount: "1000", expiresInDays: 60 },
    usage: { monthlyMinutes: 22_000, mix: [0.6, 0.4, 0], deliveryRatio: 3, growth: 0.12 },
  },
  {
    externalId: "indigo-esports",
    name: "Indigo Esports",
    email: "pay@indigo.example",
    timezone: "Asia/Seoul",
    plan: "video",
    startDay: 0,
    usage: { monthlyMinutes: 120_000, mix: [0.1, 0.7, 0.2], deliveryRatio: 9, growth: 0.18 },
  },
  {
    externalId: "juniper-weddings",
    name: "Juniper Weddings",
    email: "hello@juniperweddings.example",
    timezone: "Europe/Dublin",
    plan: "starter",
    startDay: 20,
    usage: { monthlyMinutes: 2_000, mix: [0.2, 0.7, 0.1], deliveryRatio: 3, growth: 0.25 },
  },
  {
    externalId: "kestrel-news",
    name: "Kestrel Newsroom",
    email: "rechnungen@kestrel.example",
    timezone: "Europe/Berlin",
    plan: "growth",
    startDay: 0,
    usage: { monthlyMinutes: 90_000, mix: [0.4, 0.6, 0], deliveryRatio: 7, growth: 0.02 },
  },
  {
    externalId: "lumen-lectures",
    name: "Lumen Lectures",
    email: "accounts@lumenlectures.example",
    timezone: "Asia/Kolkata",
    plan: "growth",
    startDay: 7,
    startupCredit: { amount: "750" },
    usage: { monthlyMinutes: 40_000, mix: [0.8, 0.2, 0], deliveryRatio: 4, growth: 0.1 },
  },
  {
    externalId: "mosaic-live",
    name: "Mosaic Music Live",
    email: "financeiro@mosaiclive.example",
    timezone: "America/Sao_Paulo",
    plan: "video",
    startDay: 12,
    paramOverrides: { platform_fee: "149", free_delivery: "25000" },
    startupCredit: { amount: "1000" },
    usage: { monthlyMinutes: 70_000, mix: [0.15, 0.55, 0.3], deliveryRatio: 6, growth: 0.06 },
  },
  {
    externalId: "nimbus-webinars",
    name: "Nimbus Webinars",
    email: "factures@nimbus.example",
    timezone: "Europe/Paris",
    plan: "starter",
    startDay: 0,
    usage: { monthlyMinutes: 9_000, mix: [0.5, 0.5, 0], deliveryRatio: 2, growth: -0.05 },
  },
  {
    externalId: "orchard-cooking",
    name: "Orchard Cooking Club",
    email: "kiaora@orchardcooking.example",
    timezone: "Pacific/Auckland",
    plan: "starter",
    startDay: 9,
    usage: { monthlyMinutes: 4_500, mix: [0.3, 0.6, 0.1], deliveryRatio: 6, growth: 0.1 },
  },
  {
    externalId: "pico-kids",
    name: "Pico Kids Animation",
    email: "keiri@picokids.example",
    timezone: "Asia/Tokyo",
    plan: "video",
    startDay: 0,
    paramOverrides: { commitment: "800" },
    usage: { monthlyMinutes: 35_000, mix: [0.2, 0.5, 0.3], deliveryRatio: 10, growth: 0.04 },
  },
  {
    externalId: "quarry-tours",
    name: "Quarry Real Estate Tours",
    email: "ar@quarrytours.example",
    timezone: "America/Toronto",
    plan: "growth",
    startDay: 0,
    usage: { monthlyMinutes: 18_000, mix: [0.3, 0.5, 0.2], deliveryRatio: 2, growth: 0.08 },
  },
  {
    externalId: "riverbend-council",
    name: "Riverbend Town Council",
    email: "clerk@riverbend.example",
    timezone: "America/Anchorage",
    plan: "starter",
    startDay: 0,
    usage: { monthlyMinutes: 1_200, mix: [1, 0, 0], deliveryRatio: 12, growth: 0 },
  },
  {
    externalId: "saffron-yoga",
    name: "Saffron Yoga",
    email: "accounts@saffronyoga.example",
    timezone: "Asia/Dubai",
    plan: "growth",
    startDay: 18,
    startupCredit: { amount: "300" },
    usage: { monthlyMinutes: 16_000, mix: [0.2, 0.8, 0], deliveryRatio: 5, growth: 0.3 },
  },
  {
    externalId: "tundra-outdoors",
    name: "Tundra Outdoors",
    email: "billing@tundra.example",
    timezone: "Africa/Nairobi",
    plan: "video",
    startDay: 4,
    usage: { monthlyMinutes: 50_000, mix: [0.25, 0.5, 0.25], deliveryRatio: 4, growth: 0.07 },
  },
];
