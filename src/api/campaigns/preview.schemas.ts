import { z } from 'zod';
import { EventType } from '../../domain/event';
import { JsonObject, StorableTimestamp, WellFormedString } from '../../domain/storable';

/** The event to try: as POST /v1/events takes it, except that id and userId may be left out. */
export const PreviewEvent = z
  .object({
    id: WellFormedString.min(1).max(200).optional().describe('Defaults to a fresh id, so the journey does not take it for one it has seen.'),
    type: EventType,
    userId: WellFormedString.min(1).max(200).optional().describe('If given, must be the body\'s userId.'),
    occurredAt: StorableTimestamp.optional().describe('Defaults to now.'),
    properties: JsonObject.default({}),
  })
  .strict();

export const PreviewBody = z.object({ userId: WellFormedString.min(1).max(200), event: PreviewEvent }).strict();
export type PreviewBody = z.infer<typeof PreviewBody>;

const PreviewAction = z.record(z.string(), z.unknown()).describe('The action as it would run (amounts and templates resolved).');

export const PreviewResponse = z.object({
  campaign: z.string(),
  version: z.number().int().describe('The plan version the answer comes from: the running journey\'s, else the active one.'),
  basedOn: z.enum(['journey', 'campaign']).describe('journey: the running journey answered its `preview` query; campaign: a new journey would start with this event.'),
  workflowId: z.string(),
  entered: z.boolean(),
  refusedBecause: z.string().optional(),
  transitions: z.array(z.object({ pathId: z.string(), from: z.string().nullable(), to: z.string(), cause: z.string() })),
  rewards: z.array(
    z.object({
      stepId: z.string(),
      action: PreviewAction,
      idempotencyKey: z.string(),
      refused: z.string().optional().describe('Why the ledger would refuse it (an amount above the most one reward gives): the journey would hold this step.'),
    }),
  ),
  messages: z.array(
    z.object({
      stepId: z.string(),
      action: PreviewAction,
      notBefore: z.string().optional().describe('The message would wait out quiet hours until this time; the steps after it in its group and the state\'s transitions wait with it.'),
    }),
  ),
  webhooks: z
    .array(z.object({ stepId: z.string(), action: PreviewAction }))
    .describe('Webhook steps the event would run: `action` holds the `url` and the `body` as it would be POSTed (no body posts `{}`).'),
  notes: z.array(z.string()),
  conditions: z
    .array(
      z.object({
        where: z.string().describe('`entry.if`, `audience`, or the transition as the decision trace names it (`→ rewarded when ...`).'),
        state: z.string().optional().describe('The state whose transition was checked.'),
        pathId: z.string().optional(),
        text: z.string().describe('The part of the condition that did not hold.'),
        values: z.record(z.string(), z.string()).describe('Each operand as it was read (JSON text, shortened).'),
      }),
    )
    .describe("Parts of conditions that did not hold and the values they saw: the entry condition and audience when the event would not start a journey, and each transition checked that did not fire (the support desk's trace shows the same)."),
});
export type PreviewResponse = z.infer<typeof PreviewResponse>;
