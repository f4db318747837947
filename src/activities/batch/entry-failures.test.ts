import { isRefusedForGood, isTemporalsOwn } from './entry-failures';

/** A gRPC error as @grpc/grpc-js throws it, wrapped as the Temporal client's ServiceError wraps it. */
const grpc = (code: number, details: string) => {
  const cause = Object.assign(new Error(`${code} ${details}`), { code, details });
  return Object.assign(new Error('Failed to signalWithStart Workflow'), { cause });
};

describe("whose failure a batch entry's is", () => {
  it('a refusal for good: Temporal refused the call itself', () => {
    expect(isRefusedForGood(grpc(3, 'Blob data size exceeds limit.'))).toBe(true);
    expect(isRefusedForGood(grpc(8, 'Received message larger than max (5000000 vs. 4194304)'))).toBe(true);
    // A full run passes once the journey continues as new; rate limiting and outages pass.
    expect(isRefusedForGood(grpc(3, 'exceeded workflow execution limit for signal events'))).toBe(false);
    expect(isRefusedForGood(grpc(8, 'namespace rate limit exceeded'))).toBe(false);
    expect(isRefusedForGood(grpc(14, 'No connection established'))).toBe(false);
    expect(isRefusedForGood(new Error('exceeded workflow execution limit for signal events'))).toBe(false);
  });

  it("Temporal's own: out of reach, not answering in time, rate limiting, the namespace or the credentials", () => {
    for (const [code, details] of [
      [14, 'No connection established'],
      [4, 'Deadline exceeded'],
      [8, 'namespace rate limit exceeded'],
      [5, 'Namespace kairos is not found.'],
      [7, 'Request unauthorized.'],
      [16, 'Request unauthenticated.'],
      // A call cancelled, a proxy's or a server's fault, a namespace failing over: none says anything of the journey (review-50-diff, finding 1).
      [1, 'Call cancelled'],
      [2, 'Stream removed'],
      [9, 'Namespace is not active in this cluster.'],
      [13, 'mutable state is corrupted'],
    ] as const) {
      expect({ code, own: isTemporalsOwn(grpc(code, details)) }).toEqual({ code, own: true });
    }
    // Kairos's own search attributes not usable yet on a cluster that registered them seconds ago: every user alike.
    expect(isTemporalsOwn(grpc(3, 'Namespace default has no mapping defined for search attribute CampaignKey'))).toBe(true);
    expect(isTemporalsOwn(grpc(3, 'search attribute UserId is not defined'))).toBe(true);
    expect(isTemporalsOwn(grpc(3, 'search attribute SomeoneElses is not defined'))).toBe(false);
    // The journey's: its run full, a payload too large for it.
    expect(isTemporalsOwn(grpc(3, 'exceeded workflow execution limit for signal events'))).toBe(false);
    expect(isTemporalsOwn(grpc(8, 'Received message larger than max (5000000 vs. 4194304)'))).toBe(false);
  });
});
