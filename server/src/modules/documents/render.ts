import PDFDocument from "pdfkit";

/** Everything a printed invoice or credit note shows, already formatted (amounts as decimal strings). */
export interface DocumentModel {
  kind: "invoice" | "credit_note";
  title: string;
  number: string;
  /** The moment the document became final: its PDF creation date, so the bytes never change. */
  issuedAt: Date;
  currency: string;
  company: {
    legalName: string;
    address: string;
    taxId: string | null;
    logo: string | null;
    footer: string;
    paymentInstructions: string;
  };
  customer: { name: string; address: string; emails: string[] };
  /** Label/value pairs under the number: dates, period, the invoice a credit note credits. */
  facts: [string, string][];
  lines: {
    description: string;
    product: string | null;
    quantity: string | null;
    amount: string;
    /** The contract the line bills, on a consolidated invoice only. */
    contract?: string;
  }[];
  /**
   * Subtotals per product code the lines name (empty unless they name two or more): printed after the lines.
   * Codes, not catalog names, so a finalized invoice's PDF stays the same when the catalog is edited.
   */
  productSubtotals?: [string, string][];
  /** A consolidated invoice's subtotals per contract (by id, for the same reason), printed after the lines. */
  contractSubtotals?: [string, string][];
  /** Totals block, top to bottom; the last one is printed bold. */
  totals: [string, string][];
}

const MARGIN = 50;
const GREY = "#555555";

/** A data: URL image as bytes (PNG or JPEG, the profile only accepts those). */
function logoBytes(logo: string | null): Buffer | null {
  const match = logo ? /^data:image\/(?:png|jpeg);base64,(.+)$/.exec(logo) : null;
  return match ? Buffer.from(match[1], "base64") : null;
}

/**
 * Renders a document with pdfkit. Deterministic: the creation date is the document's own `issuedAt` and the file
 * id pdfkit derives from the info dictionary, with the standard fonts (not embedded, so no random subset tags) —
 * the same model always gives the same bytes.
 */
export function renderDocumentPdf(model: DocumentModel): Promise<Buffer> {
  const doc = new PDFDocument({
    size: "A4",
    margin: MARGIN,
    info: {
      Title: `${model.title} ${model.number}`,
      Author: model.company.legalName || "Pricegraph",
      Creator: "Pricegraph",
      Producer: "Pricegraph",
      CreationDate: model.issuedAt,
      ModDate: model.issuedAt,
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("data", (chunk: Buffer) => chunks.push(chunk));
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  const width = doc.page.width - 2 * MARGIN;
  const right = (text: string, y: number, options: PDFKit.Mixins.TextOptions = {}) =>
    doc.text(text, MARGIN, y, { width, align: "right", ...options });

  // Header: logo or company name on the left, document title and number on the right.
  const logo = logoBytes(model.company.logo);
  const top = doc.y;
  if (logo) {
    try {
      doc.image(logo, MARGIN, top, { fit: [160, 50] });
    } catch {
      // An unreadable image is left out rather than failing the document.
    }
  }
  doc.font("Helvetica-Bold").fontSize(20);
  right(model.title, top);
  doc.font("Helvetica").fontSize(11);
  right(model.number, top + 24);
  doc.y = top + 60;

  // From / to.
  const columns = doc.y;
  const half = width / 2 - 10;
  doc.font("Helvetica-Bold").fontSize(9).fillColor(GREY).text("FROM", MARGIN, columns);
  doc.font("Helvetica").fontSize(10).fillColor("black");
  doc.text(model.company.legalName || "(company name not set)", { width: half });
  if (model.company.address) doc.text(model.company.address, { width: half });
  if (model.company.taxId) doc.text(`Tax ID: ${model.company.taxId}`, { width: half });
  const fromEnd = doc.y;
  doc
    .font("Helvetica-Bold")
    .fontSize(9)
    .fillColor(GREY)
    .text("BILL TO", MARGIN + width / 2, columns);
  doc.font("Helvetica").fontSize(10).fillColor("black");
  doc.text(model.customer.name, MARGIN + width / 2, doc.y, { width: half });
  if (model.customer.address) doc.text(model.customer.address, { width: half });
  if (model.customer.emails.length) doc.text(model.customer.emails.join(", "), { width: half });
  doc.y = Math.max(fromEnd, doc.y) + 16;

  // Facts: number, dates, period.
  for (const [label, value] of model.facts) {
    const y = doc.y;
    doc.font("Helvetica-Bold").text(label, MARGIN, y, { width: 120 });
    doc.font("Helvetica").text(value, MARGIN + 120, y, { width: width - 120 });
  }
  doc.moveDown(1);

  // Lines.
  const qtyX = MARGIN + width - 200;
  const header = doc.y;
  doc.font("Helvetica-Bold").fontSize(9).fillColor(GREY);
  doc.text("DESCRIPTION", MARGIN, header, { width: qtyX - MARGIN - 10 });
  doc.text("QUANTITY", qtyX, header, { width: 90, align: "right" });
  doc.text(`AMOUNT (${model.currency})`, qtyX + 90, header, { width: 110, align: "right" });
  doc
    .moveTo(MARGIN, doc.y + 2)
    .lineTo(MARGIN + width, doc.y + 2)
    .strokeColor("#cccccc")
    .stroke();
  doc.moveDown(0.5);
  doc.font("Helvetica").fontSize(10).fillColor("black");
  for (const line of model.lines) {
    if (doc.y > doc.page.height - 160) doc.addPage();
    const y = doc.y;
    const description = [
      line.description,
      line.product ? `Product: ${line.product}` : null,
      line.contract ? `Contract: ${line.contract}` : null,
    ]
      .filter((part) => part !== null)
      .join("\n");
    doc.text(description, MARGIN, y, { width: qtyX - MARGIN - 10 });
    const after = doc.y;
    doc.text(line.quantity ?? "", qtyX, y, { width: 90, align: "right" });
    doc.text(line.amount, qtyX + 90, y, { width: 110, align: "right" });
    doc.y = Math.max(after, doc.y) + 4;
  }
  if (model.lines.length === 0) doc.fillColor(GREY).text("No lines.", MARGIN).fillColor("black");
  doc.moveDown(0.5);

  const subtotals = (title: string, rows: [string, string][] | undefined) => {
    if (!rows?.length) return;
    doc.font("Helvetica-Bold").fontSize(9).fillColor(GREY).text(title, MARGIN, doc.y);
    doc.font("Helvetica").fontSize(10).fillColor("black");
    for (const [label, amount] of rows) {
      const y = doc.y;
      doc.text(label, MARGIN, y, { width: qtyX - MARGIN - 10 });
      doc.text(amount, qtyX + 90, y, { width: 110, align: "right" });
    }
    doc.moveDown(0.5);
  };
  subtotals("BY CONTRACT", model.contractSubtotals);
  subtotals("BY PRODUCT", model.productSubtotals);

  // Totals.
  model.totals.forEach(([label, value], i) => {
    const last = i === model.totals.length - 1;
    const y = doc.y;
    doc.font(last ? "Helvetica-Bold" : "Helvetica");
    doc.text(label, qtyX - 110, y, { width: 200, align: "right" });
    doc.text(value, qtyX + 90, y, { width: 110, align: "right" });
  });
  doc.moveDown(1.5);

  doc.font("Helvetica").fontSize(9);
  if (model.company.paymentInstructions) {
    doc.font("Helvetica-Bold").text("Payment instructions", MARGIN, doc.y, { width });
    doc.font("Helvetica").text(model.company.paymentInstructions, { width });
    doc.moveDown(1);
  }
  if (model.company.footer) doc.fillColor(GREY).text(model.company.footer, MARGIN, doc.y, { width });
  doc.end();
  return done;
}
