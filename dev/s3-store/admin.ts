import type { IncomingMessage, ServerResponse } from "node:http";
import { ADMIN_HEADER } from "./admin-client";
import { faultRequestSchema, type Faults } from "./faults";

const MAX_BODY = 64 * 1024;

/**
 * The fault-injection admin endpoint (`/faults`, `/stats`). A page the developer visits can POST to localhost
 * without CORS ("no-cors"), but only with a form content type and no custom headers: requiring
 * `x-lectern-admin: 1` on every request, and `application/json` on bodies, refuses those. The admin server answers
 * no CORS preflight, so a page cannot get permission to send either.
 */
export async function handleAdmin(request: IncomingMessage, response: ServerResponse, faults: Faults) {
  const json = (status: number, body: unknown) => response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
  const refuse = (status: number, code: string, message: string) => {
    // Read (and drop) what the client still sends, so it sees the answer rather than a reset connection.
    request.resume();
    json(status, { error: { code, message } });
  };
  const url = new URL(request.url ?? "/", "http://admin");
  if (request.method === "OPTIONS") return refuse(405, "method_not_allowed", "The admin endpoint does not answer CORS preflights.");
  if (request.headers[ADMIN_HEADER] !== "1") {
    return refuse(403, "admin_header_required", `Admin requests must send the header ${ADMIN_HEADER}: 1.`);
  }
  try {
    if (url.pathname === "/faults" && request.method === "GET") return json(200, { faults: faults.list() });
    if (url.pathname === "/faults" && request.method === "DELETE") {
      faults.clear();
      return json(200, { faults: [] });
    }
    if (url.pathname === "/faults" && request.method === "POST") {
      const contentType = (request.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase();
      if (contentType !== "application/json") {
        return refuse(415, "unsupported_media_type", "Send the fault as JSON (content-type: application/json).");
      }
      let text = "";
      for await (const chunk of request as AsyncIterable<Buffer>) {
        text += chunk.toString();
        if (text.length > MAX_BODY) return refuse(413, "too_large", "The fault description is too large.");
      }
      const parsed = faultRequestSchema.safeParse(JSON.parse(text || "{}"));
      if (!parsed.success) return json(400, { error: { code: "invalid_fault", message: "Invalid fault.", details: parsed.error.issues } });
      faults.add(parsed.data);
      return json(201, { faults: faults.list() });
    }
    if (url.pathname === "/stats" && request.method === "GET") return json(200, faults.stats);
    if (url.pathname === "/stats" && request.method === "DELETE") {
      faults.resetStats();
      return json(200, faults.stats);
    }
    return json(404, { error: { code: "not_found", message: "Not found." } });
  } catch (error) {
    return json(400, { error: { code: "bad_request", message: String(error) } });
  }
}
