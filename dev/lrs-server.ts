import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { isDeepStrictEqual } from "node:util";
import { statementSchema, type XapiStatement } from "@/lib/xapi/statement-schema";

/** A statement as the LRS keeps it: what was sent, plus what the LRS adds. */
export type StoredStatement = XapiStatement & { stored: string; authority: { objectType: "Agent"; account: { homePage: string; name: string } }; version: string };

/** One request as the LRS saw it, answered or refused. */
export type LrsRequest = { method: string; path: string; status: number; version: string | null; statements: number; reason?: string };

/** The next answers to POST/PUT /statements: an error status; `afterStoring` stores the statements first (a lost reply). */
export type LrsFault = { status: number; afterStoring?: boolean };

const MAX_BODY_BYTES = 5 * 1024 * 1024;

/** A statement without what the LRS sets (stored, authority, version): what two sends of it are compared on. */
function asSent(statement: XapiStatement | StoredStatement): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...statement };
  for (const key of ["stored", "authority", "version"]) delete copy[key];
  return copy;
}

/**
 * A learning record store for tests and the e2e stack, speaking xAPI 1.0.3's statements resource: POST /statements
 * (one statement or an array, stored as a whole or not at all) and PUT /statements?statementId=…, with HTTP Basic
 * auth, the X-Experience-API-Version header and each statement's shape checked (400/401 otherwise, with the reason);
 * a statement id it already holds is ignored when the statement is the same and refused with 409 when it differs, as
 * the specification asks. GET /statements (by statementId, registration or verb) and GET /about answer too. It keeps
 * what it stored for assertions; `failNext` makes it refuse, to test retries.
 */
export async function startLrsServer({ port = 0, username = "lrs-key", password = "lrs-secret" }: { port?: number; username?: string; password?: string } = {}) {
  const statements: StoredStatement[] = [];
  const byId = new Map<string, StoredStatement>();
  const requests: LrsRequest[] = [];
  const faults: LrsFault[] = [];
  const expectedAuthorization = `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}`;

  const readBody = (request: IncomingMessage) =>
    new Promise<string>((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      request.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BODY_BYTES) reject(new Error("body too large"));
        else chunks.push(chunk);
      });
      request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
      request.on("error", reject);
    });

  const answer = (response: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}) => {
    const common = { "x-experience-api-version": "1.0.3", ...headers };
    if (body === undefined) response.writeHead(status, common).end();
    else response.writeHead(status, { ...common, "content-type": "application/json" }).end(JSON.stringify(body));
  };

  /** Checks and stores a batch as a whole; returns the status and the reason of a refusal. */
  const store = (received: unknown[]): { status: number; ids: string[]; reason?: string } => {
    const batch: XapiStatement[] = [];
    for (const [index, item] of received.entries()) {
      // An LRS assigns the id of a statement sent without one.
      const withId = item && typeof item === "object" && !("id" in item) ? { ...item, id: randomUUID() } : item;
      const parsed = statementSchema.safeParse(withId);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        return { status: 400, ids: [], reason: `statement ${index}: ${issue ? `${issue.path.join(".") || "(statement)"}: ${issue.message}` : "invalid"}` };
      }
      batch.push(parsed.data);
    }
    const ids = batch.map((statement) => statement.id);
    if (new Set(ids).size !== ids.length) return { status: 400, ids: [], reason: "the batch holds the same statement id twice" };
    const fresh: XapiStatement[] = [];
    for (const statement of batch) {
      const existing = byId.get(statement.id);
      if (!existing) fresh.push(statement);
      else {
        if (!isDeepStrictEqual(asSent(existing), asSent(statement))) return { status: 409, ids: [], reason: `statement ${statement.id} already exists with other content` };
      }
    }
    const stored = new Date().toISOString();
    for (const statement of fresh) {
      const kept: StoredStatement = { ...statement, stored, authority: { objectType: "Agent", account: { homePage: "http://lrs.test", name: username } }, version: statement.version ?? "1.0.3" };
      statements.push(kept);
      byId.set(kept.id, kept);
    }
    return { status: 200, ids };
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? "/", "http://lrs.test");
    const method = request.method ?? "GET";
    const version = typeof request.headers["x-experience-api-version"] === "string" ? request.headers["x-experience-api-version"] : null;
    const record = (status: number, count: number, reason?: string) => requests.push({ method, path: url.pathname, status, version, statements: count, ...(reason ? { reason } : {}) });
    const refuse = (status: number, reason: string, count = 0) => {
      record(status, count, reason);
      answer(response, status, { error: reason }, status === 401 ? { "www-authenticate": 'Basic realm="lrs"' } : {});
    };

    if (method === "GET" && url.pathname === "/xapi/about") {
      record(200, 0);
      return answer(response, 200, { version: ["1.0.3"] });
    }
    if (url.pathname !== "/xapi/statements") return refuse(404, `no resource ${url.pathname}`);
    if (request.headers.authorization !== expectedAuthorization) return refuse(401, "missing or wrong credentials");
    if (!version || !/^1\.0(\.\d+)?$/.test(version)) return refuse(400, "the X-Experience-API-Version header (1.0.x) is required");

    if (method === "GET") {
      const statementId = url.searchParams.get("statementId");
      if (statementId) {
        const found = byId.get(statementId);
        record(found ? 200 : 404, found ? 1 : 0);
        return found ? answer(response, 200, found) : answer(response, 404, { error: "no such statement" });
      }
      const registration = url.searchParams.get("registration");
      const verb = url.searchParams.get("verb");
      const matching = statements.filter((statement) => (!registration || statement.context?.registration === registration) && (!verb || statement.verb.id === verb));
      record(200, matching.length);
      return answer(response, 200, { statements: matching, more: "" });
    }
    if (method !== "POST" && method !== "PUT") return refuse(405, `${method} is not supported on /statements`);
    if (!/^application\/json\b/.test(request.headers["content-type"] ?? "")) return refuse(400, "Content-Type must be application/json");

    let body: unknown;
    try {
      body = JSON.parse(await readBody(request));
    } catch {
      return refuse(400, "the body is not JSON");
    }
    const received = method === "POST" && Array.isArray(body) ? body : [body];
    if (method === "PUT") {
      const statementId = url.searchParams.get("statementId");
      if (!statementId) return refuse(400, "PUT /statements needs ?statementId=");
      const single = received[0];
      if (single && typeof single === "object" && "id" in single && single.id !== statementId) return refuse(400, "the statement's id differs from statementId");
      received[0] = single && typeof single === "object" ? { ...single, id: statementId } : single;
    }
    if (received.length === 0) return refuse(400, "no statements");

    const fault = faults.shift();
    if (fault) {
      if (fault.afterStoring) store(received);
      return refuse(fault.status, `fault injected (${fault.status})`, received.length);
    }
    const outcome = store(received);
    if (outcome.status !== 200) return refuse(outcome.status, outcome.reason ?? "refused", received.length);
    record(method === "PUT" ? 204 : 200, received.length);
    if (method === "PUT") answer(response, 204);
    else answer(response, 200, outcome.ids);
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) answer(response, 500, { error: String(error) });
    });
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const address = server.address() as AddressInfo;
  return {
    /** The xAPI endpoint (XAPI_ENDPOINT): statements are at `${endpoint}statements`. */
    endpoint: `http://127.0.0.1:${address.port}/xapi/`,
    username,
    password,
    statements,
    requests,
    /** The next POST/PUT requests to /statements get these answers, in order (then normal service again). */
    failNext(...next: LrsFault[]) {
      faults.push(...next);
    },
    /** Resolves once `predicate` holds for the stored statements (polled), within `timeoutMs`. */
    async waitFor(predicate: (stored: StoredStatement[]) => boolean, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(statements)) {
        if (Date.now() > deadline) throw new Error(`the LRS holds ${statements.length} statements, not what was awaited (requests: ${JSON.stringify(requests.slice(-5))})`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return statements;
    },
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
    },
  };
}
export type LrsServer = Awaited<ReturnType<typeof startLrsServer>>;
