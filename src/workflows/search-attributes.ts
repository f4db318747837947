/**
 * Search attribute keys as plain data, so workflow code and the Temporal
 * client share them without the workflow importing client packages.
 * All three are registered as Keyword (DESIGN.md decision 7).
 */
export const CAMPAIGN_KEY = { name: 'CampaignKey', type: 'KEYWORD' } as const;
export const USER_ID = { name: 'UserId', type: 'KEYWORD' } as const;
export const JOURNEY_STATE = { name: 'JourneyState', type: 'KEYWORD' } as const;

export const JOURNEY_SEARCH_ATTRIBUTES = [CAMPAIGN_KEY, USER_ID, JOURNEY_STATE] as const;

/** `JourneyState` while an action of the journey waits for an operator. */
export const HELD_STATE = 'held';
