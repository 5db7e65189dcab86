import { QueryClient } from "@tanstack/react-query";
import { AppError } from "@/lib/errors";

/** The one QueryClient factory: API errors of the 4xx kind are final, so they are not retried. */
export function makeQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 5_000,
        retry: (failures, error) => !(error instanceof AppError && error.status >= 400 && error.status < 500) && failures < 2,
      },
    },
  });
}
