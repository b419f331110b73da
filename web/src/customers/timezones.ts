// Browsers list IANA zones without "UTC" itself; it is the default, so it leads the list.
export const timezones = [
  "UTC",
  ...(typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : []).filter(
    (z) => z !== "UTC",
  ),
];
