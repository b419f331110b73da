/**
 * How the journeys and the editor benchmark launch Debian's Chromium (browser downloads cannot work here):
 * headless, software rendering, nothing running in the background that could disturb timings.
 */
export const chromiumLaunchOptions = {
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
};
