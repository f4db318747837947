/** gRPC status names by code (grpc.io, "Status codes"): how Kairos names what Temporal answered, without grpc-js's text. */
const GRPC_STATUS_NAMES: readonly string[] = [
  'OK',
  'CANCELLED',
  'UNKNOWN',
  'INVALID_ARGUMENT',
  'DEADLINE_EXCEEDED',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'PERMISSION_DENIED',
  'RESOURCE_EXHAUSTED',
  'FAILED_PRECONDITION',
  'ABORTED',
  'OUT_OF_RANGE',
  'UNIMPLEMENTED',
  'INTERNAL',
  'UNAVAILABLE',
  'DATA_LOSS',
  'UNAUTHENTICATED',
];

/** `PERMISSION_DENIED` for 7; `status 42` for a code gRPC does not define. */
export const grpcStatusName = (code: number): string => GRPC_STATUS_NAMES[code] ?? `status ${code}`;
