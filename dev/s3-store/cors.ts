import type { IncomingMessage, ServerResponse } from "node:http";
import { errors } from "./errors";

export type CorsRule = {
  id?: string;
  allowedOrigins: string[];
  allowedMethods: string[];
  allowedHeaders: string[];
  exposeHeaders: string[];
  maxAgeSeconds?: number;
};

const METHODS = new Set(["GET", "PUT", "POST", "DELETE", "HEAD"]);

/** S3 patterns allow one `*` wildcard; header names compare case-insensitively. */
function matches(pattern: string, value: string, caseInsensitive = false): boolean {
  const [p, v] = caseInsensitive ? [pattern.toLowerCase(), value.toLowerCase()] : [pattern, value];
  const star = p.indexOf("*");
  if (star === -1) return p === v;
  const prefix = p.slice(0, star);
  const suffix = p.slice(star + 1);
  return v.length >= prefix.length + suffix.length && v.startsWith(prefix) && v.endsWith(suffix);
}

function findRule(rules: CorsRule[], origin: string, method: string, headers: string[] = []) {
  return rules.find(
    (rule) =>
      rule.allowedOrigins.some((pattern) => matches(pattern, origin)) &&
      rule.allowedMethods.includes(method) &&
      headers.every((header) => rule.allowedHeaders.some((pattern) => matches(pattern, header, true))),
  );
}

function allowOrigin(rule: CorsRule, origin: string) {
  return rule.allowedOrigins.includes("*") ? "*" : origin;
}

/** Answers a preflight (OPTIONS) request; throws 403 when no rule allows it. */
export function preflight(request: IncomingMessage, response: ServerResponse, rules: CorsRule[] | undefined) {
  const origin = request.headers.origin;
  const method = request.headers["access-control-request-method"];
  if (!origin || typeof method !== "string") {
    throw errors.invalidRequest("Insufficient information. Origin request header needed.");
  }
  if (!rules?.length) throw errors.corsForbidden("CORS is not enabled for this bucket.");
  const requested = String(request.headers["access-control-request-headers"] ?? "")
    .split(",")
    .map((header) => header.trim())
    .filter(Boolean);
  const rule = findRule(rules, origin, method, requested);
  if (!rule) {
    throw errors.corsForbidden(
      "This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.",
    );
  }
  setCorsHeaders(response, rule, origin);
  if (requested.length) response.setHeader("access-control-allow-headers", requested.join(", "));
  if (rule.maxAgeSeconds !== undefined) response.setHeader("access-control-max-age", String(rule.maxAgeSeconds));
  response.setHeader("vary", "Origin, Access-Control-Request-Headers, Access-Control-Request-Method");
  response.writeHead(200).end();
}

/** Adds CORS headers to an actual cross-origin request when a rule allows it. */
export function applyCors(request: IncomingMessage, response: ServerResponse, rules: CorsRule[] | undefined) {
  const origin = request.headers.origin;
  if (!origin || !rules?.length) return;
  const rule = findRule(rules, origin, request.method ?? "GET");
  if (!rule) return;
  setCorsHeaders(response, rule, origin);
  response.setHeader("vary", "Origin, Access-Control-Request-Headers, Access-Control-Request-Method");
}

function setCorsHeaders(response: ServerResponse, rule: CorsRule, origin: string) {
  const allowed = allowOrigin(rule, origin);
  response.setHeader("access-control-allow-origin", allowed);
  response.setHeader("access-control-allow-methods", rule.allowedMethods.join(", "));
  if (allowed !== "*") response.setHeader("access-control-allow-credentials", "true");
  if (rule.exposeHeaders.length) response.setHeader("access-control-expose-headers", rule.exposeHeaders.join(", "));
}

type CorsXml = {
  CORSConfiguration?: {
    CORSRule?: {
      ID?: string;
      AllowedOrigin?: string[];
      AllowedMethod?: string[];
      AllowedHeader?: string[];
      ExposeHeader?: string[];
      MaxAgeSeconds?: string;
    }[];
  };
};

export function corsFromXml(document: Record<string, unknown>): CorsRule[] {
  const rules = (document as CorsXml).CORSConfiguration?.CORSRule;
  if (!rules?.length || rules.length > 100) throw errors.malformedXml();
  return rules.map((rule) => {
    const allowedOrigins = rule.AllowedOrigin ?? [];
    const allowedMethods = rule.AllowedMethod ?? [];
    if (!allowedOrigins.length || !allowedMethods.length) throw errors.malformedXml();
    const unsupported = allowedMethods.find((method) => !METHODS.has(method));
    if (unsupported) throw errors.invalidRequest(`Found unsupported HTTP method in CORS config. Unsupported method is ${unsupported}`);
    const maxAge = rule.MaxAgeSeconds === undefined ? undefined : Number(rule.MaxAgeSeconds);
    if (maxAge !== undefined && !Number.isInteger(maxAge)) throw errors.malformedXml();
    return {
      ...(rule.ID ? { id: rule.ID } : {}),
      allowedOrigins,
      allowedMethods,
      allowedHeaders: rule.AllowedHeader ?? [],
      exposeHeaders: rule.ExposeHeader ?? [],
      ...(maxAge === undefined ? {} : { maxAgeSeconds: maxAge }),
    };
  });
}

export function corsToXml(rules: CorsRule[]) {
  return {
    CORSRule: rules.map((rule) => ({
      ...(rule.id ? { ID: rule.id } : {}),
      AllowedHeader: rule.allowedHeaders,
      AllowedMethod: rule.allowedMethods,
      AllowedOrigin: rule.allowedOrigins,
      ExposeHeader: rule.exposeHeaders,
      ...(rule.maxAgeSeconds === undefined ? {} : { MaxAgeSeconds: rule.maxAgeSeconds }),
    })),
  };
}
