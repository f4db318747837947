/**
 * `kairos_reward_reclaims_total`, counted by whichever process takes a
 * reward back (the API's cancel from the ledger, or a journey's reclaim in
 * the worker): each reward once, by the call that reclaimed it, never by a
 * repeat. Dashboards sum the two.
 */
export const RECLAIMS_METRIC = {
  name: 'kairos_reward_reclaims_total',
  help: 'Rewards taken back by kind, campaign and outcome (reversed, voided, unreclaimable), each once, by the API (a cancel) or the worker (a journey) that took it back.',
} as const;
