/**
 * What a booting process is doing before it serves, for its probes (the API's
 * boot listener, the worker's endpoints): `/livez` answers 200 from the start,
 * and `/readyz` answers 503 with this as its `reason` until the process is up.
 * A migration can take minutes (a funnel fill, an index build, or another
 * instance's migrations waited for behind the advisory lock), and a liveness
 * probe that found nothing listening meanwhile would kill it over and over.
 *
 * - `connecting`: opening PostgreSQL and Temporal (under `npm start`, starting them);
 * - `search-attributes`: waiting for Temporal to have Kairos's search attributes;
 * - `migrating`: migrating the schema, or waiting for another instance that does;
 * - `starting`: creating the worker or the HTTP application.
 */
export type BootPhase = 'connecting' | 'search-attributes' | 'migrating' | 'starting';

export class BootProgress {
  phase: BootPhase = 'connecting';
}
