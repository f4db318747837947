/**
 * The campaign definition language (CAMPAIGNS.md) as zod schemas. These
 * validate what operators submit, give the API its OpenAPI documents, and are
 * the input of the compiler. Objects are strict so that a typo such as
 * `trasitions` is reported instead of silently ignored.
 *
 * Conditions are only shape-checked here (string, 2-D array, JSON tree or
 * boolean); the compiler validates them deeply, with positions.
 */
import { z } from 'zod';
import { OutboundUrl } from '../outbound-url';
import { cronProblem } from './cron';
import { EventType } from '../event';
import { CURRENCY_CODE } from '../rewards/amounts';
import { fail, ok, type Result } from '../issues';
import { parseDuration } from '../durations';
import { ISO_TIMESTAMP, isIanaZone } from '../time';
import { Int32, refineWellFormedText, storableTimestampProblem } from '../storable';
import { zodIssuesToDomain } from '../zod-issues';
import { PARTICIPATION_DEFAULTS } from './defaults';
import { CodePatternText, CouponCodeList } from './coupon-code';

export const Key = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[a-z0-9][a-z0-9_.-]*$/, 'use lowercase letters a-z, digits, and . _ -, starting with a letter or digit');

export const StateName = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/, 'state names use letters A-Z and a-z, digits, and . _ -, not starting with . or -');

export const StepId = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9_][A-Za-z0-9_.:/-]*$/, 'step ids use letters A-Z and a-z, digits, and . _ : / -, starting with a letter, digit or _');

/** Refused with parseDuration's own reason (malformed, zero, or too long to schedule), at the field's path. */
export const IsoDuration = z
  .string()
  .superRefine((s, ctx) => {
    const parsed = parseDuration(s);
    if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.issues[0].message });
  })
  .describe('ISO 8601 duration, at most 1000 years (P1000Y)')
  .meta({ examples: ['P3D', 'PT12H', 'PT10S'] });

export const Timestamp = z
  .string()
  .regex(ISO_TIMESTAMP, 'expected an ISO 8601 date and time with a zone, e.g. 2026-12-01T09:00:00+08:00')
  .superRefine((s, ctx) => {
    const problem = storableTimestampProblem(s);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

export const TimeZone = z
  .string()
  .refine(isIanaZone, { error: 'expected an IANA time zone such as Asia/Shanghai or UTC' })
  .meta({ examples: ['Asia/Shanghai', 'Europe/Paris', 'UTC'] });

export const ClockTime = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a 24-hour time HH:MM, e.g. 22:00');

/**
 * A condition in any of the three notations: an expression string, a 2-D
 * array of OR-groups that must all hold, a JSON tree, or a constant.
 */
export const ConditionSource = z
  .union([z.string(), z.boolean(), z.array(z.unknown()), z.record(z.string(), z.unknown())], {
    error: 'expected a condition: an expression string, a 2-D array of OR-groups, a JSON tree, or true/false',
  })
  .describe('A condition: expression string, 2-D array of OR-groups, or JSON tree ({all}, {any}, {not}, {atLeast, of}, {fact, op, value}).')
  .meta({ examples: ['event.amount > 0', [['event.cityId eq 2', 'event.cityId eq 3']], { all: ['user.level >= 2'] }] });
export type ConditionSource = z.infer<typeof ConditionSource>;

/** A number or an expression that computes one, e.g. `sum('order.completed', 'amount') * 10`. */
export const Amount = z
  .union([z.number().finite(), z.string().min(1)], { error: 'expected a number or an expression' })
  .meta({ examples: [100, "sum('order.completed', 'amount') * 10"] });

const stepCommon = {
  id: StepId.optional().describe('Stable step id; derived from the position (e.g. rewarded/1.0) when absent.'),
  if: ConditionSource.optional().describe('The step runs only when this holds; otherwise it counts as skipped.'),
};

export const CouponAction = z
  .object({
    type: z.literal('coupon'),
    pool: Key.describe("A coupon pool's key."),
    unlessHolding: z
      .boolean()
      .optional()
      .describe('Skip when the user already holds an unused, unexpired coupon from this pool.'),
    ...stepCommon,
  })
  .strict();

export const PointsAction = z
  .object({ type: z.literal('points'), amount: Amount, pool: Key.optional(), ...stepCommon })
  .strict();

export const CreditAction = z
  .object({
    type: z.literal('credit'),
    amount: Amount,
    currency: z.string().regex(CURRENCY_CODE, 'expected an ISO 4217 currency code such as USD'),
    pool: Key.optional(),
    ...stepCommon,
  })
  .strict();

export const MessageChannel = z.enum(['push', 'sms', 'email', 'inapp']);

export const MessageAction = z
  .object({
    type: z.literal('message'),
    channel: MessageChannel,
    template: z.string().min(1).max(200),
    data: z
      .record(z.string(), z.unknown())
      .optional()
      .describe('Template data. String values are expressions when they parse as one, literal text otherwise.'),
    ...stepCommon,
  })
  .strict();

export const WebhookAction = z
  .object({
    type: z.literal('webhook'),
    url: OutboundUrl,
    body: z.unknown().optional(),
    ...stepCommon,
  })
  .strict();

export const Action = z.discriminatedUnion('type', [CouponAction, PointsAction, CreditAction, MessageAction, WebhookAction]);
export type Action = z.infer<typeof Action>;

export const Strategy = z.enum(['parallel', 'serial', 'priority']);
export type Strategy = z.infer<typeof Strategy>;

export interface ActionGroup {
  strategy?: Strategy;
  steps: Step[];
  id?: string;
  if?: ConditionSource;
}
export type Step = Action | ActionGroup;

export const ActionGroup: z.ZodType<ActionGroup> = z
  .object({
    strategy: Strategy.optional().describe('parallel: all at once; serial (default): in order, a failure stops the rest; priority: the first success stops the rest.'),
    get steps() {
      return z.array(Step).min(1, 'a group needs at least one step');
    },
    ...stepCommon,
  })
  .strict();

export const Step: z.ZodType<Step> = z.union([ActionGroup, Action]);

/**
 * One transition. Its kind follows from which field is present (`on`,
 * `when`, `after`, `at`, `split`, or none for an immediate branch); one flat
 * object gives clearer errors than a union of six shapes.
 */
export const Transition = z
  .object({
    to: StateName.optional(),
    on: EventType.optional().describe('Fires when an event of this type arrives and `if` holds.'),
    if: ConditionSource.optional(),
    when: ConditionSource.optional().describe('Fires as soon as this holds: on entry to the state and after every event.'),
    after: IsoDuration.optional().describe('Fires when the state has been active this long.'),
    at: Timestamp.optional().describe('Fires at this time.'),
    split: z
      .array(z.object({ to: StateName, weight: z.number().finite().positive() }).strict())
      .min(1)
      .optional()
      .describe('Fires immediately, choosing a branch at random by weight (fixed per journey).'),
    id: StepId.optional(),
  })
  .strict()
  .superRefine((t, ctx) => {
    const triggers = (['on', 'when', 'after', 'at', 'split'] as const).filter((k) => t[k] !== undefined);
    if (triggers.length > 1) {
      ctx.addIssue({ code: 'custom', path: [triggers[1]], message: `a transition has one trigger; found ${triggers.join(' and ')}` });
    }
    if (t.split !== undefined) {
      if (t.to !== undefined) ctx.addIssue({ code: 'custom', path: ['to'], message: 'a split names its targets in its branches, not in `to`' });
      if (t.if !== undefined) ctx.addIssue({ code: 'custom', path: ['if'], message: 'a split has no `if`; put the condition on an immediate transition before it' });
    } else if (t.to === undefined) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'a transition needs `to`, the state it leads to' });
    }
    if (t.if !== undefined && (t.when !== undefined || t.after !== undefined || t.at !== undefined)) {
      ctx.addIssue({ code: 'custom', path: ['if'], message: '`if` goes with `on` or on an immediate transition; use `when` for a standing condition' });
    }
  })
  .meta({
    examples: [
      { to: 'rewarded', on: 'order.completed', if: 'event.amount >= 20' },
      { to: 'nudged', after: 'P3D' },
      { split: [{ to: 'a', weight: 90 }, { to: 'b', weight: 10 }] },
    ],
  });
export type Transition = z.infer<typeof Transition>;

export const State = z
  .object({
    description: z.string().max(2000).optional(),
    actions: ActionGroup.optional().describe('Run on entry; transitions out wait until the group finished.'),
    transitions: z.array(Transition).default([]).describe('Checked in order; the first that fires wins.'),
    end: z.boolean().optional().describe('Ends the path.'),
  })
  .strict();
export type State = z.infer<typeof State>;

export const QuietHours = z
  .object({ from: ClockTime, to: ClockTime })
  .strict()
  .refine((q) => q.from !== q.to, { error: 'quiet hours from and to must differ', path: ['to'] })
  .describe(
    'Local times (schedule.timezone) during which messages wait. Rewards and webhooks are never delayed themselves, but a message waiting out quiet hours holds what comes after it: the later steps of its serial or priority group, and the transitions out of its state, so a reward after it, or in the state it leads to, waits for it too.',
  );

export const Schedule = z
  .object({
    startsAt: Timestamp.optional(),
    endsAt: Timestamp.optional(),
    timezone: TimeZone.optional().describe('IANA zone for quiet hours and day arithmetic; UTC when absent.'),
    quietHours: QuietHours.optional(),
  })
  .strict()
  .refine((s) => !s.startsAt || !s.endsAt || new Date(s.startsAt).getTime() < new Date(s.endsAt).getTime(), {
    error: 'endsAt must be after startsAt',
    path: ['endsAt'],
  });

export const CronExpression = z
  .string()
  .regex(/^\s*(\S+\s+){4}\S+\s*$/, 'expected a 5-field cron expression, e.g. "0 9 * * *"')
  .superRefine((expression, ctx) => {
    const problem = cronProblem(expression);
    if (problem) ctx.addIssue({ code: 'custom', message: `not a valid cron expression: ${problem}` });
  });

export const Entry = z
  .object({
    on: z.union([EventType, z.array(EventType).min(1)]).optional().describe('The event type(s) that can start a journey.'),
    if: ConditionSource.optional().describe('A condition on the starting event.'),
    cron: CronExpression.optional().describe('Batch entry: on each tick every stored user matching `audience` enters.'),
    timezone: TimeZone.optional().describe('Zone of `cron`; when absent, `schedule.timezone`, else UTC.'),
  })
  .strict();

export const Participation = z
  .object({
    maxEntries: Int32.min(1).default(PARTICIPATION_DEFAULTS.maxEntries).describe('How many times one user may enter.'),
    cooldown: IsoDuration.optional().describe('Minimum time between two entries.'),
    frequency: z
      .object({ max: Int32.min(1), per: IsoDuration })
      .strict()
      .optional()
      .describe('At most `max` entries within any `per` window.'),
    mode: z.enum(['serial', 'parallel']).default(PARTICIPATION_DEFAULTS.mode).describe('serial: one active path per user; parallel: up to maxActive.'),
    maxActive: Int32.min(1).optional().describe('Parallel mode: paths active at once (at most 100; 100 when absent).'),
  })
  .strict();

export const ExitRule = z
  .object({ on: EventType, if: ConditionSource.optional() })
  .strict()
  .describe('Ends every active path of this user in this campaign.');

/** The campaign's fields without the whole-document checks (`.partial()` needs it bare). */
export const CampaignObject = z
  .object({
    key: Key,
    name: z.string().min(1).max(200),
    description: z.string().max(5000).optional(),
    schedule: Schedule.optional(),
    audience: ConditionSource.optional().describe('A condition on user.*, checked at entry.'),
    entry: Entry,
    participation: Participation.default({ ...PARTICIPATION_DEFAULTS }),
    exitOn: z.array(ExitRule).default([]),
    initial: StateName,
    states: z.record(StateName, State).refine((s) => Object.keys(s).length > 0, { error: 'a campaign needs at least one state' }),
  })
  .strict()
  .describe('A campaign definition (CAMPAIGNS.md).');

/** Every string and key anywhere in it (conditions, message data, webhook bodies) must be storable text. */
export const Campaign = CampaignObject.superRefine(refineWellFormedText);
export type Campaign = z.infer<typeof Campaign>;
/** The campaign as submitted, before defaults are applied. */
export type CampaignInput = z.input<typeof Campaign>;

export const PoolKind = z.enum(['coupon', 'points', 'credit']);
export type PoolKind = z.infer<typeof PoolKind>;

/**
 * The most a pool's budget holds, after any top-up: whole amounts up to it
 * are exact as JSON numbers, and adding to it cannot overflow one.
 */
export const MAX_POOL_BUDGET = 1e15;
export const COUPON_BUDGET_WHOLE = "a coupon pool's budget counts coupons: a whole number";
export const TOO_LARGE_BUDGET = `at most ${MAX_POOL_BUDGET.toLocaleString('en-US')}, the most a pool's budget holds`;

/** Imported coupon codes, handed out in this order; each compared exactly as sent (coupon-code.ts says what text a code may be). */
export { CouponCodeList };
/** Codes generated from a pattern. */
export const GeneratedCodes = z
  .object({
    pattern: CodePatternText.describe(
      '# a digit and ? a letter (SAVE-####-????); a pattern without either uses X for a letter or digit and 9 for a digit. Codes are drawn by a keyed random permutation: unique, and no code tells another. Its text follows the rule for codes: no leading or trailing whitespace, control or format characters, and in Unicode NFC.',
    ),
    count: z.number().int().min(1).max(10_000_000),
  })
  .strict();

export const RewardPool = z
  .object({
    key: Key,
    kind: PoolKind,
    name: z.string().max(200).optional(),
    budget: z
      .number()
      .finite()
      .min(0)
      .max(MAX_POOL_BUDGET, TOO_LARGE_BUDGET)
      .optional()
      .describe('Total amount (points, credit) or codes (coupon) this pool may issue.'),
    perUserLimit: Int32.min(1).optional().describe('How many rewards one user may get from this pool.'),
    codes: CouponCodeList.optional().describe('Coupon codes to hand out, in order.'),
    generate: GeneratedCodes.optional(),
    validFor: IsoDuration.optional().describe('How long an issued coupon stays valid.'),
    currency: z.string().regex(CURRENCY_CODE, 'expected an ISO 4217 currency code such as USD').optional(),
  })
  .strict()
  .superRefine(refineWellFormedText)
  .superRefine((p, ctx) => {
    if (p.codes && p.generate) ctx.addIssue({ code: 'custom', path: ['generate'], message: 'give either `codes` or `generate`, not both' });
    if (p.kind !== 'coupon') {
      for (const k of ['codes', 'generate', 'validFor'] as const) {
        if (p[k] !== undefined) ctx.addIssue({ code: 'custom', path: [k], message: `only coupon pools have \`${k}\`` });
      }
    }
    if (p.kind === 'coupon' && p.budget !== undefined && !Number.isInteger(p.budget)) {
      ctx.addIssue({ code: 'custom', path: ['budget'], message: COUPON_BUDGET_WHOLE });
    }
    if (p.currency !== undefined && p.kind !== 'credit') {
      ctx.addIssue({ code: 'custom', path: ['currency'], message: 'only credit pools have a currency' });
    }
  })
  .describe('A reward pool: coupon codes, or a points/credit budget.');
export type RewardPool = z.infer<typeof RewardPool>;

export function parseCampaign(input: unknown): Result<Campaign> {
  const parsed = Campaign.safeParse(input);
  return parsed.success ? ok(parsed.data) : fail(zodIssuesToDomain(parsed.error.issues));
}

export function parseRewardPool(input: unknown): Result<RewardPool> {
  const parsed = RewardPool.safeParse(input);
  return parsed.success ? ok(parsed.data) : fail(zodIssuesToDomain(parsed.error.issues));
}
