/**
 * Namespaces the test Temporal server creates besides `default`. Suites run
 * two at a time and share the server; a suite that asserts on what a whole
 * namespace lists (every held step, a user's journeys across campaigns)
 * takes one of these, so another suite's journeys cannot show up in it. So
 * does a suite that leaves namespace-wide things behind under common names:
 * the CLI suite's demo applies every example, and an `entry.cron` example's
 * batch-entry Schedule (`batch-entry:<campaign>`) outlives the suite.
 */
export const ISOLATED_NAMESPACES = ['kairos-test-console', 'kairos-test-cli', 'kairos-test-journeys-api', 'kairos-test-held-unanswered'] as const;
export type IsolatedNamespace = (typeof ISOLATED_NAMESPACES)[number];
