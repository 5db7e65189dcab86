import "server-only";
import { collectDefaultMetrics, Registry } from "prom-client";

/**
 * The app process's prom-client registry: Node.js and process metrics (CPU, memory, event loop lag, GC) of the
 * process that answers the scrape. Created once per process: Next.js's dev server reloads modules, and registering
 * the default metrics twice throws.
 */
const globalForMetrics = globalThis as unknown as { lecternMetricsRegistry?: Registry };

export function processRegistry(): Registry {
  if (!globalForMetrics.lecternMetricsRegistry) {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry });
    globalForMetrics.lecternMetricsRegistry = registry;
  }
  return globalForMetrics.lecternMetricsRegistry;
}
