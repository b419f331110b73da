/**
 * The README's "Quickstart with curl and the CLI" as data: its bash blocks in order, each with the output block
 * printed after it, so a test can run the walkthrough verbatim and compare what a new user would see.
 */

export const quickstartHeading = "## Quickstart with curl and the CLI";

export interface ReadmeBlock {
  /** 1-based position among the section's bash blocks. */
  index: number;
  /** The README line of the opening fence (1-based). */
  line: number;
  code: string;
  /** The block shown after the bash block, before the next one: plain (```) or JSON (```json). */
  expected: { lang: "" | "json"; text: string } | null;
  /**
   * Whether the README said, before this block in the same `###` subsection, that amounts depend on today's date
   * or on the day of the first start (a bold sentence naming amounts or invoice numbers).
   */
  amountsVary: boolean;
}

/** A bold sentence saying what depends on the day: `**The dates and amounts depend on today's date**`. */
const dependsOnTheDay = /\*\*([^*]*\bdepends? on (?:today's date|the day of the first start)[^*]*)\*\*/g;

/** The bash blocks of the section, from its heading to the next `## ` heading. */
export function quickstartBlocks(readme: string): ReadmeBlock[] {
  const lines = readme.split("\n");
  const start = lines.indexOf(quickstartHeading);
  if (start < 0) throw new Error(`README.md has no "${quickstartHeading}"`);
  const blocks: ReadmeBlock[] = [];
  let amountsVary = false;
  let paragraph = "";
  for (let i = start + 1; i < lines.length && !lines[i].startsWith("## "); i++) {
    const fence = /^```(\w*)$/.exec(lines[i]);
    if (!fence) {
      if (lines[i].startsWith("### ")) amountsVary = false;
      // Bold sentences may wrap, so they are looked for in whole paragraphs.
      paragraph = lines[i].trim() ? `${paragraph} ${lines[i]}` : "";
      for (const [, sentence] of paragraph.matchAll(dependsOnTheDay))
        if (/amounts|invoice number/.test(sentence)) amountsVary = true;
      continue;
    }
    const body: string[] = [];
    const open = i;
    for (i++; i < lines.length && lines[i] !== "```"; i++) body.push(lines[i]);
    const text = body.join("\n");
    const lang = fence[1];
    const last = blocks.at(-1);
    if (lang === "bash") {
      blocks.push({ index: blocks.length + 1, line: open + 1, code: text, expected: null, amountsVary });
    } else if ((lang === "" || lang === "json") && last && !last.expected) {
      last.expected = { lang, text };
    } else {
      throw new Error(`README.md line ${open + 1}: a \`\`\`${lang} block that is no bash block's output`);
    }
    paragraph = "";
  }
  return blocks;
}

const blockEnd = (index: number) => `@@readme-block-${index}-end@@`;

/**
 * One bash script running every block in order (variables, functions and the working folder carry over), each
 * followed by a line marking its end. Standard error goes where standard output goes, as in a terminal.
 */
export function walkthroughScript(blocks: ReadmeBlock[]): string {
  return [
    "exec 2>&1",
    ...blocks.flatMap((block) => [block.code, `printf '\\n%s\\n' '${blockEnd(block.index)}'`]),
  ].join("\n");
}

/** Each block's output, cut at the end markers; a block the run never finished has none. */
export function outputsByBlock(blocks: ReadmeBlock[], output: string): (string | null)[] {
  let rest = output;
  return blocks.map((block) => {
    const at = rest.indexOf(`\n${blockEnd(block.index)}\n`);
    if (at < 0) return null;
    const text = rest.slice(0, at);
    rest = rest.slice(at + blockEnd(block.index).length + 2);
    return text.replace(/\n+$/, "");
  });
}

/**
 * What may differ between the README's outputs and a run on another day, on a fresh server, replaced by a
 * placeholder on both sides — nothing else:
 * - whitespace at the end of a line, which a terminal does not show (`curl -D -` ends header lines with CR);
 * - generated ids (`pln_IlsBrqbpnC8opYGeftU1`; the README writes `pln_…`) and API key prefixes (`pg_live_…`);
 * - calendar dates and timestamps: every date the walkthrough uses is counted from today;
 * - where the README says that amounts depend on the day (see `amountsVary`): money amounts and invoice and
 *   credit-note numbers.
 */
export function normalise(text: string, amountsVary: boolean): string {
  let result = text
    .replace(/[ \t\r]+$/gm, "")
    .replace(/\bpg_live_[A-Za-z0-9]+/g, "pg_live_…")
    .replace(/\b([a-z]{2,5})_(?:[A-Za-z0-9]{12,}|…)/g, "$1_…")
    .replace(/\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z\b/g, "<timestamp>")
    .replace(/\b\d{4}-\d{2}-\d{2}\b/g, "<date>");
  if (amountsVary)
    result = result.replace(/-?\b\d+\.\d{2}\b/g, "<amount>").replace(/\b(INV|CN)-\d{6}\b/g, "$1-<number>");
  return result;
}

/** The block's output as compared: normalised, and JSON blocks in one canonical form (the README wraps them). */
export function comparable(text: string, block: ReadmeBlock): string {
  const normalised = normalise(text, block.amountsVary);
  if (block.expected?.lang !== "json") return normalised;
  try {
    return JSON.stringify(JSON.parse(normalised), null, 2);
  } catch {
    return normalised;
  }
}
