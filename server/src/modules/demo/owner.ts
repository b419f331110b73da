import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { verify } from "@node-rs/argon2";
import { type Deps, randomBase62, randomIds, systemClock } from "../../context.ts";
import type { Db } from "../../db/index.ts";
import { userByEmail } from "../users/queries.ts";
import { addMemberDirectly } from "../users/service.ts";
import { demoKeyFile } from "./startup.ts";

/**
 * The demo tenant's owner: a person who signs in to the web app with e-mail and password. Made on the start that
 * makes the demo tenant, with a random password kept beside the demo key (`demo-owner.txt`, mode 0600).
 */
export const DEMO_OWNER_EMAIL = "owner@demo.pricegraph.dev";

export function demoOwnerFile(env: NodeJS.ProcessEnv = process.env): string | null {
  const keyFile = demoKeyFile(env);
  return keyFile ? join(dirname(keyFile), "demo-owner.txt") : null;
}

function remember(file: string, email: string, password: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${email}\n${password}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
}

function recall(file: string): { email: string; password: string } | null {
  if (!existsSync(file)) return null;
  const [email, password] = readFileSync(file, "utf8").split("\n");
  return email && password ? { email, password } : null;
}

/** A line to print: the demo owner's e-mail and password, or why they are not shown. */
export async function demoOwnerToPrint(
  deps: Pick<Deps, "db"> & Partial<Pick<Deps, "clock" | "ids">>,
  demoTenantId: string,
  file: string | null,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  const db: Db = deps.db;
  const email = env.DEMO_OWNER_EMAIL?.trim().toLowerCase() || DEMO_OWNER_EMAIL;
  const existing = await userByEmail(db, email);
  if (!existing) {
    if (!demoTenantId) return "";
    const password = env.DEMO_OWNER_PASSWORD || randomBase62(16);
    await addMemberDirectly(
      { db, clock: deps.clock ?? systemClock, ids: deps.ids ?? randomIds },
      demoTenantId,
      {
        email,
        name: "Demo Owner",
        password,
        role: "owner",
      },
    );
    if (env.DEMO_OWNER_PASSWORD) return `Demo owner:    ${email} / (DEMO_OWNER_PASSWORD)`;
    if (file) remember(file, email, password);
    return `Demo owner:    ${email} / ${password}   (${file ? `saved to ${file}` : "shown once: copy it now"})`;
  }
  const remembered = file ? recall(file) : null;
  if (!remembered || remembered.email !== email)
    return `Demo owner:    ${email} (password printed on first start)`;
  const still = await verify(existing.passwordHash, remembered.password).catch(() => false);
  if (!still) return `Demo owner:    ${email} (its password was changed since it was saved in ${file})`;
  return `Demo owner:    ${email} / ${remembered.password}   (from ${file})`;
}
