/** How the routing index is kept current beyond notifications. Defaults suit production; tests shorten them. */
export interface RoutingOptions {
  /** A full reload this often catches any change whose notification was missed. */
  reconcileMs: number;
  /** First delay before a failed reload is tried again; doubled per failure up to `maxRetryMs`. */
  firstRetryMs: number;
  maxRetryMs: number;
}

export const ROUTING_OPTIONS = Symbol('ROUTING_OPTIONS');

export const DEFAULT_ROUTING_OPTIONS: RoutingOptions = {
  reconcileMs: 60_000,
  firstRetryMs: 250,
  maxRetryMs: 30_000,
};
