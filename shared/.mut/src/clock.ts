/** One `clock:sync` round trip, all in milliseconds: client send time, server time, client receive time. */
export interface ClockSample {
  sentAt: number;
  serverTime: number;
  receivedAt: number;
}

export interface ClockEstimate {
  /** serverTime − clientTime: add it to the client's clock to estimate server time. */
  offsetMs: number;
  roundTripMs: number;
}

/** NTP-style offset of one sample: serverTime − midpoint of send and receive. */
export function sampleOffset(sample: ClockSample): ClockEstimate {
  const roundTripMs = Math.max(0, sample.receivedAt - sample.sentAt);
  return { offsetMs: sample.serverTime - (sample.sentAt + sample.receivedAt) / 2, roundTripMs };
}

/** The estimate from the sample with the shortest round trip (least room for asymmetric delay). */
export function bestEstimate(samples: readonly ClockSample[]): ClockEstimate | null {
  let best: ClockEstimate | null = null;
  for (const sample of samples) {
    const estimate = sampleOffset(sample);
    if (best === null || estimate.roundTripMs < best.roundTripMs) best = estimate;
  }
  return best;
}
