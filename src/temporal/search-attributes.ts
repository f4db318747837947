import { defineSearchAttributeKey } from '@temporalio/common';
import { CAMPAIGN_KEY, CAMPAIGN_VERSION, JOURNEY_STATE, USER_ID } from '../workflows/search-attributes';

/** Search attributes every journey carries (DESIGN.md decision 7); all but JourneyState are set at start. */
export const CampaignKeyAttribute = defineSearchAttributeKey(CAMPAIGN_KEY.name, CAMPAIGN_KEY.type);
export const UserIdAttribute = defineSearchAttributeKey(USER_ID.name, USER_ID.type);
export const JourneyStateAttribute = defineSearchAttributeKey(JOURNEY_STATE.name, JOURNEY_STATE.type);

export const CampaignVersionAttribute = defineSearchAttributeKey(CAMPAIGN_VERSION.name, CAMPAIGN_VERSION.type);

export const journeySearchAttributes = [CampaignKeyAttribute, UserIdAttribute, JourneyStateAttribute, CampaignVersionAttribute] as const;

/** How the Temporal CLI (`--search-attribute Name=Type`, `--type`) spells each type. */
export const CLI_TYPE_NAMES = { KEYWORD: 'Keyword', INT: 'Int' } as const;
/** The IndexedValueType enum of Temporal's operator API. */
export const INDEXED_VALUE_TYPES = { KEYWORD: 2, INT: 3 } as const;
