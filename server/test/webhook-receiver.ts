import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * The receiver-side check, as docs/webhooks.md shows it: the timestamp is within the tolerance and one `v1`
 * signature is the HMAC-SHA256 of "<t>.<raw body>" with the endpoint's secret.
 */
export function verifyPricegraphSignature(
  rawBody: string,
  header: string,
  secret: string,
  nowSeconds = Date.now() / 1000,
  toleranceSeconds = 300,
): boolean {
  const pairs = header.split(",").map((part) => part.split("=", 2) as [string, string]);
  const t = Number(pairs.find(([key]) => key === "t")?.[1]);
  if (!Number.isInteger(t) || Math.abs(nowSeconds - t) > toleranceSeconds) return false;
  const expected = createHmac("sha256", secret).update(`${t}.${rawBody}`).digest();
  return pairs.some(
    ([key, value]) =>
      key === "v1" && /^[0-9a-f]{64}$/.test(value) && timingSafeEqual(Buffer.from(value, "hex"), expected),
  );
}

export interface ReceivedRequest {
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Receiver {
  url: string;
  received: ReceivedRequest[];
  /** Status codes to answer, in order; 200 once they are used up. */
  answers: number[];
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1 that records every request it gets. */
export async function startReceiver(answers: number[] = []): Promise<Receiver> {
  const received: ReceivedRequest[] = [];
  const server = createServer((request, response) => {
    let body = "";
    request.setEncoding("utf8");
    request.on("data", (chunk: string) => {
      body += chunk;
    });
    request.on("end", () => {
      received.push({ headers: request.headers, body });
      response.statusCode = receiver.answers.shift() ?? 200;
      response.end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const receiver: Receiver = {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    answers,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  return receiver;
}
