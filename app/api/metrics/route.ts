import { apiHandler } from "@/lib/api/handler";
import { authorizeScrape } from "@/lib/metrics/access";
import { scrapeMetrics } from "@/lib/metrics/scrape";

export const dynamic = "force-dynamic";

/** Prometheus's scrape (text format 0.0.4), for `Authorization: Bearer <METRICS_TOKEN>`. */
export const GET = apiHandler(async (request) => {
  authorizeScrape(request);
  const { contentType, body } = await scrapeMetrics();
  return new Response(body, { headers: { "content-type": contentType, "cache-control": "no-store" } });
});
