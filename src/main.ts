import { runProcess } from './run-process';

/** `npm start`: the whole system in one process tree, on embedded defaults. */
void runProcess({ api: true, worker: true, embedded: true }, (s) => [
  'Kairos is running.',
  `  Console:      ${s.apiUrl}/console   (sign in with a support, operator or admin key)`,
  `  API:          ${s.apiUrl}/v1`,
  `  OpenAPI:      ${s.apiUrl}/docs   Try it: ${s.apiUrl}/docs/ui`,
  `  Health:       ${s.apiUrl}/health (/livez /readyz)   Metrics: ${s.apiUrl}/metrics`,
  ...(s.workerEndpointsUrl ? [`  Worker:       ${s.workerEndpointsUrl}/livez /readyz /metrics`] : []),
  `  Temporal:     ${s.temporalAddress}`,
  `  Temporal UI:  ${s.temporalUiUrl ?? '(not known: set TEMPORAL_UI_URL)'}`,
  `  PostgreSQL:   ${s.databaseSource}`,
  // Webhooks refuse loopback and private addresses unless the host is listed.
  '  Webhooks:     to a local receiver, list it first: WEBHOOK_ALLOWED_HOSTS=127.0.0.1:4000 npm start',
  ...(s.devKeys
    ? ['', `API_KEYS is not set; development keys (the same on every start, kept in ${s.devKeysFile}):`, ...[...s.devKeys].map(([key, role]) => `  ${role.padEnd(9)} ${key}`)]
    : []),
]);
