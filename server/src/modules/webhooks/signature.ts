import { createHmac, randomBytes } from "node:crypto";

/** A new signing secret: `whsec_` and 32 random bytes in base64url. */
export function generateSecret(): string {
  return `whsec_${randomBytes(32).toString("base64url")}`;
}

/**
 * The `Pricegraph-Signature` header: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`, with one `v1` per
 * secret still valid (the current one first; during a rotation's overlap also the previous one), as Stripe does.
 */
export function signatureHeader(secrets: readonly string[], unixSeconds: number, body: string): string {
  const signed = `${unixSeconds}.${body}`;
  const signatures = secrets.map(
    (secret) => `v1=${createHmac("sha256", secret).update(signed).digest("hex")}`,
  );
  return [`t=${unixSeconds}`, ...signatures].join(",");
}
