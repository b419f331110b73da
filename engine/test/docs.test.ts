import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { nodeKinds } from "../src/registry.ts";

// The documentation a newcomer follows: every node kind documented, every relative link and anchor resolving.

const root = resolve(import.meta.dirname, "../..");
const planFormat = readFileSync(join(root, "docs/plan-format.md"), "utf8");
const markdownFiles = [
  join(root, "README.md"),
  ...["docs", "examples"].flatMap((folder) =>
    readdirSync(join(root, folder))
      .filter((name) => name.endsWith(".md"))
      .map((name) => join(root, folder, name)),
  ),
];

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
const slug = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{Letter}\p{Number}\s_-]/gu, "")
    .replace(/\s/g, "-");

const withoutCode = (text: string) => text.replace(/```[\s\S]*?```/g, "").replace(/`[^`\n]*`/g, "");
const anchorsOf = (file: string) =>
  new Set(
    readFileSync(file, "utf8")
      .replace(/```[\s\S]*?```/g, "")
      .split("\n")
      .filter((line) => /^#{1,6} /.test(line))
      .map((line) => slug(line.replace(/^#+ /, ""))),
  );

function relativeLinks(file: string): string[] {
  const links = [...withoutCode(readFileSync(file, "utf8")).matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]);
  return links.filter((target) => !/^[a-z]+:/i.test(target));
}

describe("docs/plan-format.md", () => {
  it.each(nodeKinds.map((kind) => kind.type))("documents the node kind %s", (type) => {
    expect(planFormat).toContain(`\n#### \`${type}\`\n`);
  });

  it("documents every data field of every node kind", () => {
    const schema = JSON.parse(readFileSync(join(root, "shared/schema/pricing-graph.v1.json"), "utf8"));
    for (const rule of schema.properties.nodes.items.allOf) {
      const type = rule.if.properties.type.const as string;
      const section = planFormat.split(`#### \`${type}\``)[1].split("\n#### ")[0].split("\n### ")[0];
      for (const field of Object.keys(rule.then.properties.data.properties ?? {})) {
        if (field === "label") continue;
        expect(section, `${type}.${field}`).toContain(`\`${field}`);
      }
    }
  });
});

describe("links in the README and docs", () => {
  const cases = markdownFiles.flatMap((file) =>
    relativeLinks(file).map((target) => [relative(root, file), target, file] as const),
  );

  it("finds the links it checks", () => {
    expect(cases.length).toBeGreaterThan(20);
  });

  // Paths written as code (`docs/spec/pricing-graph.md`) are promises too: from the root or the file's folder.
  const mentioned = markdownFiles.flatMap((file) =>
    [
      ...readFileSync(file, "utf8")
        .replace(/```[\s\S]*?```/g, "")
        .matchAll(/`([\w.-]+(?:\/[\w.-]+)+\.(?:md|json|ts|sh|yml))`/g),
    ].map((m) => [relative(root, file), m[1]] as const),
  );

  it.each(mentioned)("%s mentions %s, which exists", (name, path) => {
    const fromRoot = existsSync(join(root, path));
    expect(fromRoot || existsSync(join(root, dirname(name), path))).toBe(true);
  });

  it.each(cases)("%s → %s resolves", (_name, target, file) => {
    const [path, anchor] = target.split("#");
    const resolved = path ? resolve(dirname(file), decodeURI(path)) : file;
    expect(existsSync(resolved), `${resolved} exists`).toBe(true);
    if (anchor && resolved.endsWith(".md") && statSync(resolved).isFile()) {
      expect([...anchorsOf(resolved)]).toContain(anchor);
    }
  });
});
