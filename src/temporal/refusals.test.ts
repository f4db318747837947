import { isOwnSearchAttributeUnknown, isRefusedForGood } from './refusals';

/** A gRPC error as @grpc/grpc-js throws it, wrapped as the Temporal client's ServiceError wraps it. */
const grpc = (code: number, details: string) => {
  const cause = Object.assign(new Error(`${code} INVALID_ARGUMENT: ${details}`), { code, details });
  return Object.assign(new Error('Failed to signalWithStart Workflow'), { cause });
};

describe('a refusal for good', () => {
  // A SQL-visibility Temporal (compose's) knows a search attribute just added only at its namespace registry's next
  // refresh: a start carrying it is refused meanwhile, and the outbox must not count that towards a dead delivery.
  it.each([
    'Namespace default has no mapping defined for search attribute CampaignKey',
    'Namespace kairos has no mapping defined for search attribute CampaignVersion',
    'search attribute UserId is not defined',
    'search attribute JourneyState is not defined',
  ])('is not "%s": one of Kairos\'s own search attributes not known yet passes, as an outage does', (details) => {
    expect(isRefusedForGood(Object.assign(new Error(details), { code: 3 }))).toBe(false);
    expect(isRefusedForGood(grpc(3, details))).toBe(false);
    expect(isOwnSearchAttributeUnknown(grpc(3, details))).toBe(true);
  });

  it("is an attribute that is not Kairos's, or a payload Temporal refuses, as before", () => {
    expect(isRefusedForGood(grpc(3, 'Namespace default has no mapping defined for search attribute CustomerTier'))).toBe(true);
    expect(isRefusedForGood(grpc(3, 'search attribute CampaignKeys is not defined'))).toBe(true);
    expect(isRefusedForGood(grpc(3, 'invalid value for search attribute CampaignVersion of type Int: abc'))).toBe(true);
    expect(isRefusedForGood(grpc(3, 'Blob data size exceeds limit.'))).toBe(true);
    expect(isOwnSearchAttributeUnknown(grpc(3, 'Blob data size exceeds limit.'))).toBe(false);
  });

  it("reads a visibility query's words for an unknown attribute too (the boot's probe)", () => {
    expect(isOwnSearchAttributeUnknown(grpc(3, "invalid query: invalid expression: column name 'CampaignKey' is not a valid search attribute"))).toBe(true);
    expect(isOwnSearchAttributeUnknown(grpc(3, "invalid query: invalid expression: column name 'Other' is not a valid search attribute"))).toBe(false);
  });
});
