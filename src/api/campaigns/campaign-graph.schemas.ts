import { z } from 'zod';
import { VersionText } from '../common/version-text';

export const GraphQuery = z
  .object({
    version: VersionText.optional().describe('The version drawn (default: the active one, else the latest).'),
  })
  .strict();

const GraphNode = z.object({
  id: z.string().describe('The state name, or `(entry)` (as in the funnel).'),
  kind: z.enum(['entry', 'state', 'end']),
  label: z.string(),
  initial: z.boolean(),
  strategy: z.string().nullable().describe('How the action group runs: parallel, serial or priority; null without actions.'),
  condition: z
    .string()
    .nullable()
    .describe("The state's action group's own `if`, in words (\"user.vip == true\"): when it does not hold, none of the state's actions is issued. Null without one."),
  actions: z.array(z.object({ stepId: z.string(), type: z.enum(['coupon', 'points', 'credit', 'message', 'webhook']), text: z.string() })),
  steps: z
    .array(
      z.object({
        stepId: z.string(),
        depth: z.number().int().describe("Nesting: 0 for the state's group's own steps, one more inside each nested group."),
        kind: z.enum(['action', 'group']),
        type: z.enum(['coupon', 'points', 'credit', 'message', 'webhook']).nullable().describe('The action; null for a group.'),
        strategy: z.enum(['parallel', 'serial', 'priority']).nullable().describe('How a nested group runs; null for an action.'),
        text: z.string().describe('The action in words, or the group\'s strategy in words ("priority: first that succeeds"), with its `if`.'),
      }),
    )
    .describe("The actions with the nested groups they sit in, depth first: each group's steps follow it, one level deeper."),
  temporalUrl: z
    .string()
    .nullable()
    .describe(
      "The Temporal UI listing the journeys of the version drawn in this state: `CampaignKey = … AND CampaignVersion = … AND ExecutionStatus = \"Running\" AND JourneyState = …` for a state; for an end state the same without `ExecutionStatus` (a journey that ended there may have completed); for `(entry)`, `CampaignKey` and `CampaignVersion` only. JourneyState holds one value, so a journey with parallel paths in several states, or holding a step, is not in a state's list although the funnel counts it there. Null when the UI address is not known.",
    ),
});

const GraphEdge = z.object({
  id: z.string(),
  from: z.string(),
  to: z.string(),
  kind: z.enum(['entry', 'on', 'when', 'after', 'at', 'immediate', 'split']),
  label: z.string().describe('What fires it, in words: "order.completed if event.amount > 0", "after 3 days", "50% of users", "at 1 Dec 2026, 09:00 (Asia/Shanghai)".'),
  order: z.number().int().describe("First-match order within the state it leaves."),
});

export const CampaignGraphResponse = z.object({
  key: z.string(),
  version: z.number().int(),
  name: z.string(),
  nodes: z.array(GraphNode),
  edges: z.array(GraphEdge),
  exitOn: z.array(z.object({ eventType: z.string(), condition: z.string().nullable(), label: z.string() })),
});
export type CampaignGraphResponse = z.infer<typeof CampaignGraphResponse>;
