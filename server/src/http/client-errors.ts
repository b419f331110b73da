import { STATUS_CODES } from "node:http";
import type { Socket } from "node:net";

/** Errors Node's HTTP parser raises before fastify sees a request, with our codes. */
const PARSER_ERRORS: Record<string, { status: number; code: string; message: string }> = {
  HPE_HEADER_OVERFLOW: {
    status: 431,
    code: "HEADERS_TOO_LARGE",
    message: "The request line and headers exceed 16 KB (a long query string counts)",
  },
  ERR_HTTP_REQUEST_TIMEOUT: {
    status: 408,
    code: "REQUEST_TIMEOUT",
    message: "The request took too long to arrive",
  },
};

/**
 * fastify's `clientErrorHandler`: a request Node could not parse (an overlong query string, a timeout, bad
 * HTTP) is answered in the one error shape, then the connection is closed as Node itself would.
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === "ECONNRESET" || socket.destroyed) return;
  const known = PARSER_ERRORS[error.code ?? ""] ?? {
    status: 400,
    code: "INVALID_REQUEST",
    message: "The request is not valid HTTP",
  };
  const body = JSON.stringify({ error: { code: known.code, message: known.message, details: [] } });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${known.status} ${STATUS_CODES[known.status]}\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
