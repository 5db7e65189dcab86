import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLrsServer, type LrsServer } from "@/dev/lrs-server";
import { createLrsClient, LrsError, statementsUrl } from "@/lib/xapi/lrs-client";
import { buildWatchStatements } from "@/lib/xapi/statements";
import type { XapiStatement } from "@/lib/xapi/statement-schema";

let lrs: LrsServer;
beforeAll(async () => {
  lrs = await startLrsServer();
});
afterAll(() => lrs.close());

const statements = (count: number, sequence = 0): XapiStatement[] =>
  buildWatchStatements({
    origin: "http://lectern.test",
    learnerId: "0b8f3b8e-4c1a-4a53-9d3e-4d8a5b1c2f10",
    course: { id: "5d2a0c8e-1b3f-4e6a-8c7d-9e0f1a2b3c4d", title: "Course" },
    video: { id: "7e4b1d2c-3a5f-4b6e-9d8c-1f2e3d4c5b6a", title: "Video", durationSeconds: 60 },
    sessionId: "c3d2e1f0-a9b8-4c7d-8e6f-5a4b3c2d1e0f",
    sequence,
    recordedAt: new Date(),
    playbackRate: 1,
    position: 5,
    events: Array.from({ length: count }, (_, index) => ({ type: index % 2 ? ("paused" as const) : ("played" as const), at: index })),
    progress: { intervals: [[0, 5]], watchedShare: 5 / 60 },
  });

describe("LRS client against the test LRS", () => {
  it("POSTs to {endpoint}/statements in batches, with the version header and Basic auth", async () => {
    const client = createLrsClient({ endpoint: lrs.endpoint, username: lrs.username, password: lrs.password, batchSize: 4 });
    const before = lrs.requests.length;
    const sent = statements(10, 1);
    await client.sendStatements(sent);
    const posts = lrs.requests.slice(before);
    expect(posts.map((request) => [request.method, request.path, request.status, request.version, request.statements])).toEqual([
      ["POST", "/xapi/statements", 200, "1.0.3", 4],
      ["POST", "/xapi/statements", 200, "1.0.3", 4],
      ["POST", "/xapi/statements", 200, "1.0.3", 2],
    ]);
    expect(lrs.statements.slice(-10).map((statement) => statement.id)).toEqual(sent.map((statement) => statement.id));
  });

  it("sending the same statements again stores nothing twice", async () => {
    const client = createLrsClient({ endpoint: lrs.endpoint, username: lrs.username, password: lrs.password });
    const sent = statements(3, 2);
    await client.sendStatements(sent);
    const count = lrs.statements.length;
    await client.sendStatements(sent);
    expect(lrs.statements.length).toBe(count);
  });

  it("throws an LrsError with the status for a refusal, and with none when the LRS cannot be reached", async () => {
    const wrong = createLrsClient({ endpoint: lrs.endpoint, username: lrs.username, password: "wrong" });
    await expect(wrong.sendStatements(statements(1, 3))).rejects.toMatchObject({ name: "LrsError", status: 401 });
    lrs.failNext({ status: 503 });
    const client = createLrsClient({ endpoint: lrs.endpoint, username: lrs.username, password: lrs.password });
    await expect(client.sendStatements(statements(1, 4))).rejects.toMatchObject({ status: 503 });
    const unreachable = createLrsClient({ endpoint: "http://127.0.0.1:9/xapi", timeoutMs: 2000 });
    const error = await unreachable.sendStatements(statements(1, 5)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LrsError);
    expect(error).toMatchObject({ status: null });
  });

  it("the test LRS refuses a request without the version header, and a statement of the wrong shape, with the reason", async () => {
    const headers = { "content-type": "application/json", authorization: `Basic ${Buffer.from(`${lrs.username}:${lrs.password}`).toString("base64")}` };
    const [statement] = statements(1, 6);
    const noVersion = await fetch(statementsUrl(lrs.endpoint), { method: "POST", headers, body: JSON.stringify([statement]) });
    expect(noVersion.status).toBe(400);
    const twoIdentifiers = { ...statement, actor: { mbox: "mailto:a@b.c", account: { homePage: "http://x.test", name: "1" } } };
    const bad = await fetch(statementsUrl(lrs.endpoint), { method: "POST", headers: { ...headers, "x-experience-api-version": "1.0.3" }, body: JSON.stringify([twoIdentifiers]) });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toMatch(/exactly one identifier/);
    const changed = { ...statement, timestamp: "2020-01-01T00:00:00Z" };
    await createLrsClient({ endpoint: lrs.endpoint, username: lrs.username, password: lrs.password }).sendStatements(statement ? [statement] : []);
    const conflict = await fetch(statementsUrl(lrs.endpoint), { method: "POST", headers: { ...headers, "x-experience-api-version": "1.0.3" }, body: JSON.stringify([changed]) });
    expect(conflict.status).toBe(409);
  });

  it("the test LRS stores a PUT /statements?statementId= too (204), and lists by registration", async () => {
    const [statement] = statements(1, 7);
    if (!statement) throw new Error("no statement");
    const { id, ...withoutId } = statement;
    const headers = { "content-type": "application/json", "x-experience-api-version": "1.0.3", authorization: `Basic ${Buffer.from(`${lrs.username}:${lrs.password}`).toString("base64")}` };
    const put = await fetch(`${statementsUrl(lrs.endpoint)}?statementId=${id}`, { method: "PUT", headers, body: JSON.stringify(withoutId) });
    expect(put.status).toBe(204);
    const listed = await fetch(`${statementsUrl(lrs.endpoint)}?registration=${statement.context?.registration ?? ""}`, { headers });
    expect(((await listed.json()) as { statements: { id: string }[] }).statements.map((entry) => entry.id)).toContain(id);
  });

  it("builds the statements URL whether or not the endpoint ends with a slash", () => {
    expect(statementsUrl("https://lrs.example.com/xapi")).toBe("https://lrs.example.com/xapi/statements");
    expect(statementsUrl("https://lrs.example.com/xapi/")).toBe("https://lrs.example.com/xapi/statements");
  });
});
