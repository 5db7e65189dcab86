import { randomBytes, randomUUID } from "node:crypto";
import { decode, encode } from "next-auth/jwt";
import { expect, test } from "@playwright/test";
import postgres from "postgres";
import { SEED } from "@/dev/seed-data";
import { e2eStack } from "../e2e-stack";

const COOKIE = "authjs.session-token";
const DAY = 24 * 60 * 60;
const user = SEED.users.student;

/** A session row and a JWT for it, as Auth.js would have issued them `ageDays` ago (7-day sessions). */
async function sessionIssued({ ageDays, secret = e2eStack().authSecret }: { ageDays: number; secret?: string }) {
  const sql = postgres(e2eStack().databaseUrl, { max: 1, onnotice: () => {} });
  const sid = randomBytes(32).toString("base64url");
  const lifetime = (7 - ageDays) * DAY;
  try {
    await sql`insert into sessions (session_token, user_id, expires) values (${sid}, ${user.id}, now() + make_interval(secs => ${lifetime}))`;
  } finally {
    await sql.end();
  }
  const token = await encode({ token: { sub: user.id, sid, email: user.email, name: user.name }, secret, salt: COOKIE, maxAge: lifetime });
  return { sid, cookie: `${COOKIE}=${token}` };
}

async function sessionExpires(sid: string) {
  const sql = postgres(e2eStack().databaseUrl, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql<{ expires: Date }[]>`select expires from sessions where session_token = ${sid}`;
    return row?.expires;
  } finally {
    await sql.end();
  }
}

test("a session in use slides: a day-old session's row and cookie are renewed to 7 days", async ({ request }) => {
  const { sid, cookie } = await sessionIssued({ ageDays: 2 });
  const response = await request.get("/api/v1/education/courses", { headers: { cookie } });
  expect(response.status()).toBe(200);

  const renewed = response.headersArray().find((header) => header.name.toLowerCase() === "set-cookie" && header.value.startsWith(`${COOKIE}=`));
  expect(renewed, "a renewed session cookie").toBeDefined();
  expect(renewed?.value).toMatch(/HttpOnly/i);
  expect(renewed?.value).toMatch(/SameSite=lax/i);
  const value = renewed?.value.split(";")[0]?.slice(COOKIE.length + 1) ?? "";
  const claims = await decode({ token: value, secret: e2eStack().authSecret, salt: COOKIE });
  expect(claims).toMatchObject({ sub: user.id, sid });
  const now = Date.now() / 1000;
  expect(Number(claims?.exp)).toBeGreaterThan(now + 7 * DAY - 120);
  expect(((await sessionExpires(sid))?.getTime() ?? 0) / 1000).toBeGreaterThan(now + 7 * DAY - 120);

  // The renewed cookie works.
  expect((await request.get("/api/v1/education/courses", { headers: { cookie: `${COOKIE}=${value}` } })).status()).toBe(200);
});

test("a fresh session is not re-signed on every request", async ({ request }) => {
  const { cookie } = await sessionIssued({ ageDays: 0.1 });
  const response = await request.get("/api/v1/education/courses", { headers: { cookie } });
  expect(response.status()).toBe(200);
  expect(response.headersArray().some((header) => header.name.toLowerCase() === "set-cookie" && header.value.startsWith(COOKIE))).toBe(false);
});

test("a JWT without a live session row, or signed with the old published secret, is refused", async ({ request }) => {
  const orphan = await encode({ token: { sub: user.id, sid: randomUUID() }, secret: e2eStack().authSecret, salt: COOKIE, maxAge: DAY });
  expect((await request.get("/api/v1/education/courses", { headers: { cookie: `${COOKIE}=${orphan}` } })).status()).toBe(401);
  // A JWT of the old kind (no session id) is refused too.
  const legacy = await encode({ token: { sub: user.id }, secret: e2eStack().authSecret, salt: COOKIE, maxAge: DAY });
  expect((await request.get("/api/v1/education/courses", { headers: { cookie: `${COOKIE}=${legacy}` } })).status()).toBe(401);
  const { cookie } = await sessionIssued({ ageDays: 0, secret: "lectern-e2e-secret" });
  expect((await request.get("/api/v1/education/courses", { headers: { cookie } })).status()).toBe(401);
});
