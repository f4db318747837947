import { defineSearchAttributeKey } from '@temporalio/common';

/** Keyword search attributes every journey keeps current (DESIGN.md decision 7). */
export const CampaignKeyAttribute = defineSearchAttributeKey('CampaignKey', 'KEYWORD');
export const UserIdAttribute = defineSearchAttributeKey('UserId', 'KEYWORD');
export const JourneyStateAttribute = defineSearchAttributeKey('JourneyState', 'KEYWORD');

export const journeySearchAttributes = [CampaignKeyAttribute, UserIdAttribute, JourneyStateAttribute] as const;
