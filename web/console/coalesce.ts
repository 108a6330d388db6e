/**
 * One run at a time: calls while it runs ask for exactly one more run after it, so a burst of
 * events costs two fetches, not one per event. The returned promise settles when the runs end.
 * `stopped` ends the loop once the page is gone.
 */
export function coalesced(run: () => Promise<void>, stopped: () => boolean): () => Promise<void> {
  let inFlight: Promise<void> | null = null;
  let again = false;
  return () => {
    if (inFlight) {
      again = true;
      return inFlight;
    }
    inFlight = (async () => {
      do {
        again = false;
        await run();
      } while (again && !stopped());
    })().finally(() => {
      inFlight = null;
    });
    return inFlight;
  };
}
