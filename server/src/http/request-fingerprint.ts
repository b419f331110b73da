import { createHash } from "node:crypto";
import { type Readable, Transform, type TransformCallback } from "node:stream";

/** SHA-256 of a request without a body. */
export const EMPTY_BODY_HASH = createHash("sha256").digest("hex");

/**
 * Passes a request body through unchanged while hashing its raw bytes, so a JSON body (read whole by the parser)
 * and a CSV body (read by its handler as it streams) get the same kind of fingerprint without being buffered.
 */
export class BodyFingerprint extends Transform {
  private readonly hash = createHash("sha256");
  /** Read by fastify's body-limit and Content-Length checks. */
  receivedEncodedLength = 0;
  /** Set once the whole body has passed through; null while it streams, or when it never ended. */
  digest: string | null = null;

  override _transform(chunk: Buffer | string, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.hash.update(chunk);
    this.receivedEncodedLength += chunk.length;
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    this.digest = this.hash.digest("hex");
    callback();
  }
}

/** A fingerprinting copy of `payload`; an error of the source ends the copy, never the other way round. */
export function fingerprintBody(payload: Readable): BodyFingerprint {
  const fingerprint = new BodyFingerprint();
  payload.on("error", (error) => fingerprint.destroy(error));
  payload.pipe(fingerprint);
  return fingerprint;
}

/** Reads what is left of a streamed body to learn its digest; null when it fails or passes `maxBytes`. */
export async function readToDigest(fingerprint: BodyFingerprint, maxBytes: number): Promise<string | null> {
  if (fingerprint.digest !== null) return fingerprint.digest;
  if (fingerprint.destroyed) return null;
  try {
    for await (const _chunk of fingerprint) {
      if (fingerprint.receivedEncodedLength > maxBytes) {
        fingerprint.destroy();
        return null;
      }
    }
  } catch {
    return null;
  }
  return fingerprint.digest;
}
