import { defineSearchAttributeKey } from '@temporalio/common';
import { CAMPAIGN_KEY, JOURNEY_STATE, USER_ID } from '../workflows/search-attributes';

/** Keyword search attributes every journey keeps current (DESIGN.md decision 7). */
export const CampaignKeyAttribute = defineSearchAttributeKey(CAMPAIGN_KEY.name, CAMPAIGN_KEY.type);
export const UserIdAttribute = defineSearchAttributeKey(USER_ID.name, USER_ID.type);
export const JourneyStateAttribute = defineSearchAttributeKey(JOURNEY_STATE.name, JOURNEY_STATE.type);

export const journeySearchAttributes = [CampaignKeyAttribute, UserIdAttribute, JourneyStateAttribute] as const;
