import { runProcess } from './run-process';

/** `npm run worker`: the journey worker alone, against DATABASE_URL and TEMPORAL_ADDRESS. */
void runProcess({ api: false, worker: true, embedded: false }, (s) => [
  `Kairos worker polling Temporal at ${s.temporalAddress}`,
  ...(s.workerEndpointsUrl ? [`  Probes and metrics: ${s.workerEndpointsUrl}/livez /readyz /metrics`] : []),
]);
