/**
 * Namespaces the test Temporal server creates besides `default`. Suites run
 * two at a time and share the server; a suite that asserts on what a whole
 * namespace lists (every held step, a user's journeys across campaigns)
 * takes one of these, so another suite's journeys cannot show up in it.
 */
export const ISOLATED_NAMESPACES = ['kairos-test-console'] as const;
export type IsolatedNamespace = (typeof ISOLATED_NAMESPACES)[number];
