import type { UploadApi } from "./api";

/**
 * The same API, but its upload-inits go to the server one at a time, in the order they were called. The server gives
 * each new video the next place in its lesson at init, so files started together (a batch, two at a time) land in
 * the lesson in the order they were queued, not in the order their requests happened to arrive.
 */
export function withInitsInOrder(api: UploadApi): UploadApi {
  let previous: Promise<unknown> = Promise.resolve();
  return {
    ...api,
    init: (input) => {
      const run = previous.then(() => api.init(input));
      previous = run.catch(() => undefined);
      return run;
    },
  };
}
