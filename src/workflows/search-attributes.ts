/**
 * Search attribute keys as plain data, so workflow code and the Temporal
 * client share them without the workflow importing client packages.
 * Keywords (DESIGN.md decision 7), and the campaign version a journey entered
 * with as an Int, so operators can ask for `CampaignVersion < 3`.
 */
export const CAMPAIGN_KEY = { name: 'CampaignKey', type: 'KEYWORD' } as const;
export const USER_ID = { name: 'UserId', type: 'KEYWORD' } as const;
export const JOURNEY_STATE = { name: 'JourneyState', type: 'KEYWORD' } as const;
export const CAMPAIGN_VERSION = { name: 'CampaignVersion', type: 'INT' } as const;

export const JOURNEY_SEARCH_ATTRIBUTES = [CAMPAIGN_KEY, USER_ID, JOURNEY_STATE, CAMPAIGN_VERSION] as const;

/** `JourneyState` while an action of the journey waits for an operator. */
export const HELD_STATE = 'held';
