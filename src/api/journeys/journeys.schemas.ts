import { z } from 'zod';
import { Key } from '../../domain/campaign/schema';
import { Reason, WellFormedString } from '../../domain/storable';

/**
 * Path parameters. A campaign's key as campaigns spell it: the journey's
 * workflow id is `journey:<campaign>:<user>`, so `/v1/journeys/a:b/c` would
 * otherwise address user `b:c` of campaign `a`. A user id has the bounds of
 * ids in events and profiles.
 */
export const CampaignKeyParam = Key;
export const UserIdParam = z.string().min(1).max(200);

/**
 * A journey's run as Temporal names it (a UUID), given by the answers an intervention starts from:
 * sent back with it, the intervention reaches that run only, not one that started after the caller
 * read the journey. Checked here: Temporal refuses a run id of another shape for good.
 */
export const RunId = z
  .guid('expected the runId of a journey as Kairos gave it')
  .describe(
    "The run the caller saw (`runId` of the journey, of the user's journeys or of a held step): when given, only that run is reached; 409 `run_changed` when the journey runs on in another run (a new entry, or continued as new), 404 when none runs.",
  );

export const ExitBody = z
  .object({
    reason: Reason.optional().describe('Recorded as the end reason; defaults to "operator".'),
    runId: RunId.optional(),
  })
  .strict();
export type ExitBody = z.infer<typeof ExitBody>;

export const HeldActionBody = z
  .object({
    stepId: WellFormedString.min(1).max(200).optional().describe('The held step; may be left out when only one step is held.'),
    pathId: WellFormedString.min(1).max(200).optional(),
    runId: RunId.optional(),
    since: z.iso
      .datetime({ offset: true, error: 'expected the `since` of the held step, an ISO 8601 date and time with a zone' })
      .optional()
      .describe('The `since` of the hold the caller saw: when the step was held again since (its retry failed too, or its path came back to it), a 409 `not_held` and nothing is decided.'),
  })
  .strict();
export type HeldActionBody = z.infer<typeof HeldActionBody>;

/**
 * A caller's key for one retry or skip: sent again with the same key (after a timeout or a
 * 503 `decision_pending`), the decision is carried out once and answered as the first time.
 * Visible ASCII, as a header can carry it; it becomes part of the Temporal update's id.
 */
export const IdempotencyKey = z
  .string()
  .regex(/^[\x21-\x7e]{1,200}$/, 'Must be 1 to 200 visible ASCII characters (no spaces, no commas from a repeated header).')
  .describe('Makes the decision safe to send again: a resend with the same key is carried out once and answered like the first.');

export const HeldActionHeaders = z.object({ 'idempotency-key': IdempotencyKey.optional() });

export const ExitResponse = z.object({ workflowId: z.string(), exit: z.literal('requested'), reason: z.string() });
export type ExitResponse = z.infer<typeof ExitResponse>;

export const HeldActionResponse = z.object({
  workflowId: z.string(),
  pathId: z.string(),
  stepId: z.string(),
  decision: z.enum(['retry', 'skip']),
});
export type HeldActionResponse = z.infer<typeof HeldActionResponse>;

const TraceNote = z.object({
  kind: z.string(),
  pathId: z.string().optional(),
  message: z.string(),
  candidates: z
    .array(z.object({ transition: z.string(), result: z.boolean(), failed: z.array(z.object({ text: z.string(), values: z.record(z.string(), z.string()) })) }))
    .optional(),
});

/** The `state` query of the journey workflow (src/workflows/journey/view.ts), with where to see it in the Temporal UI. */
export const JourneyResponse = z.object({
  workflowId: z.string(),
  runId: z.string().describe('The run this view was read from (as `describe` named it; send it with exit, retry or skip to reach that run only).'),
  campaignKey: z.string(),
  campaignVersion: z.number().int(),
  userId: z.string(),
  status: z.enum(['active', 'idle', 'ended']),
  endReason: z.string().nullable(),
  entries: z.number().int(),
  states: z.array(z.string()),
  paths: z.array(
    z.object({
      pathId: z.string(),
      entryNo: z.number().int(),
      state: z.string(),
      enteredAt: z.string(),
      stateEnteredAt: z.string(),
      aggregates: z.record(z.string(), z.unknown()),
      steps: z.record(z.string(), z.string()),
      timers: z.array(z.object({ timerId: z.string(), fireAt: z.string() })),
    }),
  ),
  finished: z.array(
    z.object({
      pathId: z.string(),
      entryNo: z.number().int(),
      state: z.string(),
      endedAt: z.string(),
      reason: z.string(),
      ending: z
        .enum(['end-state', 'exit'])
        .describe("How the path ended: 'end-state' in one of the campaign's end states (`state`), 'exit' by an exitOn event or an operator's exit while in `state` (`reason` says which)."),
    }),
  ),
  rewards: z.array(
    z
      .object({
        pathId: z.string(),
        stepId: z.string(),
        type: z.enum(['coupon', 'points', 'credit']),
        idempotencyKey: z.string(),
        causedBy: z.array(z.string()),
        status: z
          .enum(['pending', 'issued', 'notIssued', 'reclaimed'])
          .describe("What the journey did with the step (pending: being issued; notIssued: refused, skipped or released by a cancel); reclaimed too when the ledger reversed it after the journey ended, which the journey never hears of."),
        ledgerStatus: z
          .enum(['issued', 'redeemed', 'reclaimed', 'unreclaimable'])
          .nullable()
          .describe("The ledger's status of the reward (GET /v1/users/:id/rewards); null when the ledger holds none for its key (not issued, or not yet)."),
      })
      .loose(),
  ),
  held: z.array(z.object({ pathId: z.string(), stepId: z.string(), summary: z.string(), error: z.string(), since: z.string() })),
  trace: z.array(z.object({ at: z.string(), input: z.string(), notes: z.array(TraceNote) })).describe('The decision trace: which transition fired, or for each candidate which part of its condition failed with what values.'),
  run: z.number().int(),
  temporalStatus: z.string().describe('The workflow execution status: running, completed, failed, terminated, ...'),
  temporalUrl: z.string().nullable().describe('The journey in the Temporal UI; null when the UI address is not known.'),
});

export const UserJourney = z.object({
  campaign: z.string(),
  version: z.number().int().nullable(),
  state: z
    .string()
    .nullable()
    .describe(
      'Current state (parallel paths\' states, each once, sorted, joined by ","); null once nothing is active. A journey that could not be asked: from visibility while it runs, null when it holds a step (visibility shows no state then) and for a closed run.',
    ),
  status: z.string().describe('The workflow execution status: running, completed, failed, terminated, ...'),
  journeyStatus: z.enum(['active', 'idle', 'ended']).nullable().describe('From the journey itself; null when it could not be asked.'),
  held: z.number().int().describe('Steps waiting for an operator (retry or skip). A journey that could not be asked: 1 when visibility says it holds a step (at least one; it does not say how many), else 0.'),
  entries: z
    .number()
    .int()
    .nullable()
    .describe('How many times the user entered. 0 when every try was refused (the audience, participation): `enteredAt` is then when the journey started, and its trace says why. Null when the journey could not be asked.'),
  enteredAt: z.string().describe('When the first path still running entered, else when the journey started.'),
  closedAt: z.string().nullable(),
  workflowId: z.string(),
  runId: z.string().describe('The latest run listed (send it with exit to reach that run only).'),
  temporalUrl: z.string().nullable(),
});
export type UserJourney = z.infer<typeof UserJourney>;

export const UserJourneysResponse = z.object({
  journeys: z.array(UserJourney),
  truncated: z.boolean().describe('True when the listing stopped at its bound (200 journeys, or 1,000 runs of them) rather than at its end: there may be more.'),
});
export type UserJourneysResponse = z.infer<typeof UserJourneysResponse>;
