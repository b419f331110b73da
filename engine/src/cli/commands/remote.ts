import { CliError, EXIT, type Io, jsonText, readJson, usageError, writeText } from "../io.ts";

// pull and push talk to a Pricegraph server's API: PRICEGRAPH_URL (e.g. http://localhost:3000) and
// PRICEGRAPH_API_KEY. The server refusing a plan exits 1; an unreachable server, a bad key or an unknown
// plan exits 2.

/** A server that does not answer within a minute is treated as unreachable: CI must not hang on it. */
const REQUEST_TIMEOUT_MS = 60_000;

interface ApiError {
  error?: { code?: string; message?: string; details?: unknown[] };
}

function server(io: Io) {
  const url = io.env.PRICEGRAPH_URL;
  const key = io.env.PRICEGRAPH_API_KEY;
  if (!url) throw usageError("set PRICEGRAPH_URL to the server, e.g. http://localhost:3000");
  if (!key) throw usageError("set PRICEGRAPH_API_KEY to an API key of the tenant");
  const base = url.replace(/\/+$/, "");
  return async (method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> => {
    let response: Response;
    try {
      response = await fetch(`${base}/v1${path}`, {
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        method,
        headers: {
          authorization: `Bearer ${key}`,
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      const cause = (error as Error & { cause?: Error }).cause?.message ?? (error as Error).message;
      throw usageError(`cannot reach ${base}: ${cause}`);
    }
    const text = await response.text();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      throw usageError(`${method} ${path} answered ${response.status} with a body that is not JSON`);
    }
    return { status: response.status, json };
  };
}

/** A refused request: 400/409/422 about the plan exit 1 with the details; other statuses exit 2. */
function refused(method: string, path: string, status: number, json: unknown): CliError {
  const error = (json as ApiError)?.error;
  const details = error?.details?.length ? `\n${jsonText(error.details)}` : "\n";
  const message = `${method} ${path} answered ${status} ${error?.code ?? ""}: ${error?.message ?? ""}${details}`;
  const aboutThePlan = status === 400 || status === 409 || status === 422;
  return new CliError(aboutThePlan ? EXIT.failed : EXIT.usage, message.trimEnd());
}

const DOCUMENT_KEYS = ["format", "currency", "params", "nodes", "edges"];
const NODE_KEYS = ["id", "type", "position", "data"];
const EDGE_KEYS = ["id", "source", "sourceHandle", "target", "targetHandle"];

/** The keys a plan file lists first, in the spec's order; the rest keep the order they came in. */
function ordered(value: Record<string, unknown>, first: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of first) if (key in value) out[key] = value[key];
  for (const [key, inner] of Object.entries(value)) if (!(key in out)) out[key] = inner;
  return out;
}

/**
 * A document as a plan file: the server's database may hand keys back in another order, so pulling the same
 * version twice, or after a push, gives the same bytes for git.
 */
export function planFileText(document: Record<string, unknown>): string {
  const nodes = (document.nodes as Record<string, unknown>[] | undefined)?.map((node) =>
    ordered({ ...node, position: ordered(node.position as Record<string, unknown>, ["x", "y"]) }, NODE_KEYS),
  );
  const edges = (document.edges as Record<string, unknown>[] | undefined)?.map((edge) =>
    ordered(edge, EDGE_KEYS),
  );
  return jsonText(ordered({ ...document, nodes, edges }, DOCUMENT_KEYS));
}

const encode = encodeURIComponent;

/** `pull PLAN_ID [--version N|latest] [--out FILE]`: a published version, or the draft, as a plan file. */
export async function pullCommand(
  io: Io,
  [planId]: string[],
  options: { version?: string; out?: string },
): Promise<number> {
  const request = server(io);
  let path = `/plans/${encode(planId)}`;
  let version = options.version;
  if (version !== undefined && version !== "latest" && !/^[1-9]\d*$/.test(version)) {
    throw usageError(`--version must be a version number or "latest", got "${version}"`);
  }
  const plan = await request("GET", path);
  if (plan.status !== 200) throw refused("GET", path, plan.status, plan.json);
  let document = (plan.json as { draft: Record<string, unknown> }).draft;
  let what = "the draft";
  if (version === "latest") {
    const latest = (plan.json as { latestVersion: number | null }).latestVersion;
    if (latest === null) throw usageError(`plan ${planId} has no published version yet`);
    version = String(latest);
  }
  if (version !== undefined) {
    path = `/plans/${encode(planId)}/versions/${version}`;
    const published = await request("GET", path);
    if (published.status !== 200) throw refused("GET", path, published.status, published.json);
    document = (published.json as { document: Record<string, unknown> }).document;
    what = `version ${version}`;
  }
  const text = planFileText(document);
  if (options.out) {
    writeText(io, options.out, text);
    io.stdout(`pulled ${what} of plan ${planId} into ${options.out}\n`);
  } else io.stdout(text);
  return EXIT.ok;
}

/**
 * `push PLAN.json (PLAN_ID | --new NAME) [--publish]`: uploads the file as the plan's draft (or as a new
 * plan's), then optionally publishes it as the next version.
 */
export async function pushCommand(
  io: Io,
  [file, planId]: string[],
  options: { new?: string; publish: boolean; json: boolean },
): Promise<number> {
  const say = (text: string) => {
    if (!options.json) io.stdout(`${text}\n`);
  };
  if (!planId === !options.new) throw usageError("push needs a PLAN_ID or --new NAME (one of the two)");
  const document = readJson(io, file);
  const request = server(io);
  let id = planId;
  let problems: { code: string; message: string }[] = [];
  if (options.new) {
    const created = await request("POST", "/plans", { name: options.new, document });
    if (created.status !== 201) throw refused("POST", "/plans", created.status, created.json);
    id = (created.json as { id: string }).id;
    say(`created plan ${id} "${options.new}" with ${file} as its draft`);
  } else {
    const path = `/plans/${encode(id)}/draft`;
    const saved = await request("PUT", path, { document });
    if (saved.status !== 200) throw refused("PUT", path, saved.status, saved.json);
    problems = (saved.json as { problems: typeof problems }).problems;
    say(`saved ${file} as the draft of plan ${id}`);
  }
  if (!options.publish) {
    if (problems.length) say(`the draft has ${problems.length} problem(s); it cannot be published yet`);
    if (options.json) io.stdout(jsonText({ planId: id, problems, version: null }));
    return EXIT.ok;
  }
  const path = `/plans/${encode(id)}/versions`;
  const published = await request("POST", path, {});
  if (published.status !== 201) throw refused("POST", path, published.status, published.json);
  const version = (published.json as { version: number }).version;
  say(`published version ${version} of plan ${id}`);
  if (options.json) io.stdout(jsonText({ planId: id, problems, version }));
  return EXIT.ok;
}
