import { runProcess } from './run-process';

/** `npm run api`: the HTTP API alone, against DATABASE_URL and TEMPORAL_ADDRESS. */
void runProcess({ api: true, worker: false, embedded: false }, (s) => [
  `Kairos API on ${s.apiUrl}/v1 (OpenAPI at ${s.apiUrl}/docs), Temporal ${s.temporalAddress}`,
]);
