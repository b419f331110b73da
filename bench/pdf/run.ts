// Invoice PDF benchmark, not a test: `pnpm bench:pdf` (COUNT=1000 by default).
// Renders COUNT invoice PDFs (company, customer, 12 lines with products and quantities, tax, a credit note) with
// the server's renderer, and, in the same run, COUNT minimal pdfkit documents (one line of text) as the baseline
// for this machine. Prints both times, PDFs per second, and the ratio invoice / baseline.
import { createRequire } from "node:module";
import { type DocumentModel, renderDocumentPdf } from "../../server/src/modules/documents/render.ts";

// pdfkit is the server's dependency: load it from there.
const PDFDocument: new (options?: PDFKit.PDFDocumentOptions) => PDFKit.PDFDocument = createRequire(
  new URL("../../server/package.json", import.meta.url),
)("pdfkit");
const COUNT = Number(process.env.COUNT ?? 1000);

function minimalPdf(n: number): Promise<Buffer> {
  const doc = new PDFDocument({ info: { CreationDate: new Date(0) } });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve) => doc.on("end", () => resolve(Buffer.concat(chunks))));
  doc.on("data", (c: Buffer) => chunks.push(c));
  doc.text(`Document ${n}`);
  doc.end();
  return done;
}

function invoiceModel(n: number): DocumentModel {
  const number = `INV-${String(n).padStart(6, "0")}`;
  return {
    kind: "invoice",
    title: "Invoice",
    number,
    issuedAt: new Date(Date.UTC(2025, 1, 3, 10, 0, n % 60)),
    currency: "USD",
    company: {
      legalName: "Northwind Billing Ltd",
      address: "1 Harbour Road\nBristol BS1 1AA\nUnited Kingdom",
      taxId: "GB999888777",
      logo: null,
      footer: "Northwind Billing Ltd, registered in England and Wales no. 01234567.",
      paymentInstructions:
        "Bank transfer to IBAN GB00 TEST 0000 1111 2222, BIC TESTGB2L, quoting the invoice number.",
    },
    customer: { name: `Customer ${n}`, address: "9 Elm Street\nLeeds LS1 4AP", emails: ["ap@customer.test"] },
    facts: [
      ["Invoice number", number],
      ["Issue date", "2025-02-03"],
      ["Due date", "2025-03-05"],
      ["Terms", "Net 30 days"],
      ["Service period", "2025-01-01 to 2025-01-31"],
    ],
    lines: Array.from({ length: 12 }, (_, i) => ({
      description: `Usage line ${i + 1}: encoded minutes, tier ${i % 3}`,
      product: `product-${i}`,
      quantity: String(1000 * (i + 1) + n),
      amount: `${(12.5 * (i + 1)).toFixed(2)}`,
    })),
    totals: [
      ["Subtotal", "975.00"],
      ["VAT 20% of 975.00", "195.00"],
      ["Total", "1170.00"],
      ["Credit note CN-000001", "-10.00"],
      ["Amount due (USD)", "1160.00"],
    ],
  };
}

async function time(label: string, render: (n: number) => Promise<Buffer>) {
  let bytes = 0;
  for (let n = 0; n < 20; n++) await render(n); // warm-up
  const start = performance.now();
  for (let n = 0; n < COUNT; n++) bytes += (await render(n)).length;
  const ms = performance.now() - start;
  console.log(
    `${label.padEnd(24)} ${COUNT} PDFs in ${(ms / 1000).toFixed(2)} s  (${((COUNT / ms) * 1000).toFixed(0)} PDFs/s, ` +
      `${(bytes / COUNT / 1024).toFixed(1)} kB each)`,
  );
  return ms;
}

const baseline = await time("minimal pdfkit document", minimalPdf);
const invoice = await time("invoice PDF", (n) => renderDocumentPdf(invoiceModel(n)));
console.log(`invoice / baseline: ${(invoice / baseline).toFixed(2)}×`);
