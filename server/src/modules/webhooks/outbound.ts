import { promises as dns, lookup as dnsLookup, type LookupAddress } from "node:dns";
import http from "node:http";
import https from "node:https";
import { BlockList, isIP, type LookupFunction } from "node:net";

/**
 * Where webhooks may go. Receivers are URLs of the tenant's choosing, so without a policy anyone with an API key
 * could make the server POST into its own network (cloud metadata at 169.254.169.254, databases, admin ports).
 * `WEBHOOK_ALLOW_PRIVATE`: `none` (public addresses only), `loopback` (also 127.0.0.0/8 and ::1: a receiver on
 * the same machine, for development and tests) or `all` (also private and link-local networks, for on-premise
 * receivers). Default: `none` when NODE_ENV is `production`, `loopback` otherwise.
 */
export type PrivateAddressPolicy = "none" | "loopback" | "all";

export function addressPolicyFromEnv(env: NodeJS.ProcessEnv = process.env): PrivateAddressPolicy {
  const value = env.WEBHOOK_ALLOW_PRIVATE;
  if (value === "none" || value === "loopback" || value === "all") return value;
  return env.NODE_ENV === "production" ? "none" : "loopback";
}

const loopback = new BlockList();
loopback.addSubnet("127.0.0.0", 8, "ipv4");
loopback.addAddress("::1", "ipv6");

/** Addresses that are not on the public internet: private, link-local, shared, multicast, reserved. */
const nonPublic = new BlockList();
for (const [net, bits] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const) {
  nonPublic.addSubnet(net, bits, "ipv4");
}
for (const [net, bits] of [
  ["::", 128],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
  ["64:ff9b::", 96],
] as const) {
  nonPublic.addSubnet(net, bits, "ipv6");
}

export type AddressKind = "public" | "loopback" | "private";

/** What kind of address `address` is (IPv4-mapped IPv6 addresses count as the IPv4 address they carry). */
export function addressKind(address: string): AddressKind {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  const ip = mapped ? mapped[1] : address;
  const family = isIP(ip) === 6 ? "ipv6" : "ipv4";
  if (loopback.check(ip, family)) return "loopback";
  if (nonPublic.check(ip, family)) return "private";
  return "public";
}

export function addressAllowed(address: string, policy: PrivateAddressPolicy): boolean {
  const kind = addressKind(address);
  if (kind === "public" || policy === "all") return true;
  return kind === "loopback" && policy === "loopback";
}

/** Why a URL's host is refused, or null when every address it resolves to is allowed. */
export async function refusedAddress(url: URL, policy: PrivateAddressPolicy): Promise<string | null> {
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : (await dns.lookup(host, { all: true })).map((a) => a.address);
  } catch {
    return `the host ${host} does not resolve`;
  }
  const refused = addresses.find((address) => !addressAllowed(address, policy));
  if (!refused) return null;
  return `resolves to ${refused}, a ${addressKind(refused)} address; set WEBHOOK_ALLOW_PRIVATE to allow it`;
}

/**
 * A DNS lookup for outgoing requests that refuses addresses the policy forbids: checked on the address actually
 * connected to, so a name that resolved to a public address at creation and to a private one now is refused.
 */
function guardedLookup(policy: PrivateAddressPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, "", 4);
      const refused = addresses.find((a) => !addressAllowed(a.address, policy));
      if (refused) {
        const reason = new Error(`${hostname} resolves to ${refused.address}, which is not allowed`);
        return callback(Object.assign(reason, { code: "ADDRESS_NOT_ALLOWED" }), "", 4);
      }
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    });
  };
}

export interface PostResult {
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
}

/**
 * POSTs `body` to `url` and reports the status, latency and any error; never throws. Redirects are not followed
 * (a 3xx is a failed attempt), the answer's body is read and dropped, and the whole exchange is cut at `timeoutMs`.
 */
export function postJson(
  url: string,
  body: string,
  headers: Record<string, string>,
  options: { timeoutMs: number; policy: PrivateAddressPolicy },
): Promise<PostResult> {
  const started = performance.now();
  const latency = () => Math.round(performance.now() - started);
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: Omit<PostResult, "latencyMs">) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...result, latencyMs: latency() });
    };
    const target = new URL(url);
    const client = target.protocol === "https:" ? https : http;
    const request = client.request(
      target,
      {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "content-length": String(Buffer.byteLength(body)),
          "user-agent": "Pricegraph-Webhooks/1",
          ...headers,
        },
        lookup: guardedLookup(options.policy),
        agent: false,
      },
      (response) => {
        response.on("data", () => {});
        response.on("end", () => finish({ statusCode: response.statusCode ?? null, error: null }));
        response.on("error", (error) =>
          finish({ statusCode: response.statusCode ?? null, error: error.message }),
        );
      },
    );
    const timer = setTimeout(() => {
      finish({ statusCode: null, error: `no answer within ${options.timeoutMs / 1000} s` });
      request.destroy();
    }, options.timeoutMs);
    request.on("error", (error) => finish({ statusCode: null, error: error.message }));
    request.end(body);
  });
}
