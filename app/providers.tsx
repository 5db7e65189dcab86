"use client";

import { QueryClientProvider } from "@tanstack/react-query";
import { useState } from "react";
import { z } from "zod";
import { makeQueryClient } from "@/lib/query-client";

// Zod probes for eval (`Function("")`) to compile faster parsers; under our CSP (no 'unsafe-eval') that probe is
// blocked and reported as a violation. Parse without it in the browser.
z.config({ jitless: true });

export function Providers({ children }: { children: React.ReactNode }) {
  const [client] = useState(makeQueryClient);
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}
