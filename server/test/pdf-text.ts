import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/** The text of every page of a PDF, one string (pdf.js in-process: no system tool such as pdftotext needed). */
export async function pdfText(bytes: Uint8Array): Promise<string> {
  // pdf.js 6 uses Promise.withResolvers (Node 22); Node 20 lacks it.
  const promises = Promise as unknown as { withResolvers?: () => unknown };
  promises.withResolvers ??= () => {
    let resolve: unknown;
    let reject: unknown;
    const promise = new Promise((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
  const { getDocument } = await import("pdfjs-dist/legacy/build/pdf.mjs");
  const standardFontDataUrl = join(
    dirname(createRequire(import.meta.url).resolve("pdfjs-dist/package.json")),
    "standard_fonts/",
  );
  const pdf = await getDocument({ data: new Uint8Array(bytes), useSystemFonts: false, standardFontDataUrl })
    .promise;
  const pages: string[] = [];
  for (let n = 1; n <= pdf.numPages; n++) {
    const content = await (await pdf.getPage(n)).getTextContent();
    pages.push(content.items.map((item) => ("str" in item ? item.str : "")).join(" "));
  }
  await pdf.cleanup();
  return pages.join("\n").replace(/\s+/g, " ");
}
