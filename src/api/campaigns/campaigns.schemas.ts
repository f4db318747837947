import { zodToOpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { ActionGroup, Campaign, CampaignObject } from '../../domain/campaign/schema';
import { Int32, refineWellFormedText } from '../../domain/storable';
import { VersionEnvelope, VersionLayout } from './campaign-versions.schemas';

// ActionGroup is recursive (a group's steps may be groups). zod-to-openapi
// follows a cycle only through a schema that has a ref id, and `.openapi(id)`
// would name a copy, not the instance the campaign schema refers to; so the
// id is attached to that very instance.
zodToOpenAPIRegistry.add(ActionGroup, { _internal: { refId: 'ActionGroup' } });

export const CampaignStatus = z.enum(['draft', 'active', 'paused', 'archived']);

/** POST /v1/campaigns/validate: a campaign definition (CAMPAIGNS.md). The compiler validates it with paths and positions. */
export const ValidateCampaignBody = Campaign;

/** POST /v1/campaigns: a definition, and optionally where the canvas drew its nodes (`layout`, stored beside the version). */
export const CreateCampaignBody = CampaignObject.extend({ layout: VersionEnvelope.shape.layout }).superRefine(refineWellFormedText);

/**
 * PUT /v1/campaigns/:key: the same, where `key` may be left out (it is the one
 * in the path), and `baseVersion`, the precondition of an editor that must not
 * overwrite a version saved meanwhile.
 */
export const UpdateCampaignBody = CampaignObject.partial({ key: true }).extend(VersionEnvelope.shape).superRefine(refineWellFormedText);

/** An activation's `ifStatus` names at most as many statuses as there are (a repeated one changes nothing). */
const MAX_IF_STATUS = CampaignStatus.options.length;

export const ActivateBody = z
  .object({
    version: Int32.min(1).optional().describe('The version new entries use; the latest when absent.'),
    ifStatus: z
      .array(CampaignStatus)
      .min(1)
      .max(MAX_IF_STATUS)
      .optional()
      .describe(
        "A precondition: activate only if the campaign's status is one of these, checked as the status changes (compare-and-set), else 409 `invalid_status_change` naming the status it has. `[\"draft\", \"active\"]` activates or switches the version but never resumes a campaign someone paused meanwhile. Left out: from draft, active or paused (as before).",
      ),
    ifActiveVersion: Int32.min(1)
      .nullable()
      .optional()
      .describe(
        'A precondition: activate only while this version is the active one (null: while none is, a draft never activated), checked as the status changes (compare-and-set), else 409 `active_version_changed` naming the version that is. What a client sends with the version it showed, so that it never switches back over a version someone activated meanwhile. Left out: whatever version is active.',
      ),
  })
  .strict();
export type ActivateBody = z.infer<typeof ActivateBody>;


export const CampaignCreated = z.object({ key: z.string(), version: z.literal(1), status: z.literal('draft') });
export const CampaignVersionCreated = z.object({ key: z.string(), version: z.number().int() });

export const PlanSummary = z.object({
  key: z.string(),
  version: z.number().int(),
  name: z.string(),
  states: z.array(z.string()),
  endStates: z.array(z.string()),
  initial: z.string(),
  entryTypes: z.array(z.string()),
  entryCron: z.string().nullable(),
  entryCronNextRuns: z
    .array(z.string())
    .optional()
    .describe("Batch entry only: the next three ticks of `entry.cron` in the campaign's time zone (ISO instants with that zone's offset), within `schedule.startsAt` and `schedule.endsAt`: fewer near `endsAt`, none once it has passed."),
  listenTypes: z.array(z.string()),
  actions: z.number().int(),
  transitions: z.number().int(),
  pools: z.array(z.string()),
});

export const ValidateResponse = z.object({
  ok: z.literal(true),
  summary: PlanSummary,
  warnings: z
    .array(z.object({ path: z.string(), message: z.string() }))
    .describe('What does not stop a save but stops activation, at its path: a reward pool that does not exist (yet), or is of another kind.'),
});

export const CampaignSummary = z.object({
  key: z.string(),
  name: z.string(),
  status: CampaignStatus,
  activeVersion: z.number().int().nullable().describe('The version new entries use; null until first activated.'),
  latestVersion: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

/** What the campaigns page shows beside each campaign: cheap to count for every campaign at once. */
export const CampaignListCounts = z.object({
  entered: z
    .number()
    .int()
    .describe(
      "Entries into the campaign, all versions, re-entries included: the funnel's `(entry)` edge counters, kept as journeys write their log and left alone when retention prunes it. An entry pruned from the log before Kairos kept these counters (they were filled from the log as it stood then) is not counted.",
    ),
  current: z
    .number()
    .int()
    .describe(
      "Journeys with a path in one of the campaign's states now, all versions (the funnel's `current` summed over states: end states and `(exited)` left out; a journey in two states at once counts in both). Unlike `running`, a journey that waits idle for a next entry, or never entered, is not counted.",
    ),
  running: z
    .number()
    .int()
    .nullable()
    .describe(
      'Journeys running now (Temporal visibility, which trails a start or an end by a moment), idle ones waiting for a next entry included; null when Temporal did not answer in time.',
    ),
});

export const CampaignListQuery = z
  .object({
    counts: z
      .enum(['true', 'false'])
      // A boolean to the OpenAPI document (typed clients pass `true`); the text is how it arrives.
      .meta({ type: 'boolean' })
      .optional()
      .describe('`true`: each campaign also carries `counts` (entries, and journeys running now), as the console\'s campaigns page shows them.'),
  })
  .strict();

export const CampaignList = z.object({ campaigns: z.array(CampaignSummary.extend({ counts: CampaignListCounts.optional().describe('With `?counts=true` only.') })) });
export type CampaignListCounts = z.infer<typeof CampaignListCounts>;
export type CampaignList = z.infer<typeof CampaignList>;

/** A stored version without its definition: a few hundred bytes, where a definition may be up to MAX_CAMPAIGN_BYTES. */
export const CampaignVersionInfo = z.object({
  version: z.number().int(),
  createdAt: z.string(),
  activatedAt: z.string().nullable().describe('When this version was first activated (from then on it could take entries); null for a version never activated.'),
  layout: VersionLayout.nullable().describe('Where the canvas drew the nodes of this version; null when never saved.'),
});

const VersionDefinition = z.record(z.string(), z.unknown()).describe('As submitted.');

export const CampaignDetail = CampaignSummary.extend({
  versions: z.array(CampaignVersionInfo.extend({ definition: VersionDefinition })),
  counts: z.object({
    journeys: z.number().int().describe('Journeys ever started (users who entered).'),
    states: z.array(
      z.object({
        state: z.string(),
        entered: z.number().int().describe('Transitions into the state.'),
        current: z
          .number()
          .int()
          .describe(
            "Journeys with a path in the state now, summed over versions: the funnel's `current`. 0 for `(exited)`, and a version in which the state is an end state adds nothing (its journeys are in `ended`).",
          ),
        ended: z
          .number()
          .int()
          .describe('Journeys that ended in the state, summed over versions: those of a version in which it is an end state, and those in `(exited)`; 0 for a state that is an end state in no version.'),
      }),
    ),
  }),
});

/**
 * GET /v1/campaigns/:key/versions: the campaign and its versions without
 * their definitions, for whoever polls (the console's campaign page): a
 * campaign gains a version at every save, and the detail carries them all.
 */
export const CampaignVersionList = CampaignSummary.extend({
  versions: z.array(CampaignVersionInfo).describe('Every stored version, oldest first, without its definition.'),
});

/** GET /v1/campaigns/:key/versions/:version: one version with its definition. */
export const CampaignVersionDetail = z.object({ key: z.string() }).extend(CampaignVersionInfo.shape).extend({ definition: VersionDefinition });

export type CampaignSummary = z.infer<typeof CampaignSummary>;
export type CampaignVersionList = z.infer<typeof CampaignVersionList>;
export type CampaignVersionDetail = z.infer<typeof CampaignVersionDetail>;
export type CampaignDetail = z.infer<typeof CampaignDetail>;
