import { checkHealth } from "@/lib/health";

export const dynamic = "force-dynamic";

export async function GET() {
  const { ok, checks } = await checkHealth();
  return Response.json({ status: ok ? "ok" : "unavailable", checks }, { status: ok ? 200 : 503 });
}
