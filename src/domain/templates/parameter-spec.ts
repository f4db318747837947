/**
 * A template parameter as a template file declares it: its type, default,
 * bounds and the help text a form shows. `valueSchema` turns a declaration
 * into the zod schema that checks a submitted value, so the bounds a form
 * shows and the bounds the renderer enforces are the same data.
 */
import { z } from 'zod';
import { Key, IsoDuration, TimeZone, MessageChannel, PoolKind } from '../campaign/schema';
import { EventType } from '../event';
import { addDuration, parseDuration } from '../durations';
import { linearPattern } from './linear-pattern';

export const ParameterName = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'parameter names use letters, digits and _, starting with a letter')
  .max(64);

const common = {
  name: ParameterName,
  label: z.string().min(1).max(100).describe('What a form shows beside the field.'),
  help: z.string().min(1).max(1000).describe('One or two sentences: what the value changes in the campaign.'),
};

const finite = z.number().finite();

export const IntegerParameter = z
  .object({ ...common, type: z.literal('integer'), default: z.number().int(), min: z.number().int(), max: z.number().int() })
  .strict();
export const NumberParameter = z.object({ ...common, type: z.literal('number'), default: finite, min: finite, max: finite }).strict();
export const StringParameter = z
  .object({
    ...common,
    type: z.literal('string'),
    default: z.string(),
    minLength: z.number().int().min(0).default(1),
    maxLength: z.number().int().min(1).max(2000),
    pattern: z
      .string()
      .optional()
      .describe('A regular expression the whole value must match, run on V8\'s linear-time engine: no backreferences, lookarounds, or counts that unroll past 16 copies (nested counts multiply; {16,} is 17). Read without the u flag: no \\p{…} or \\u{…}; . and counts in it go by UTF-16 code units, so an emoji is two (refused inside [...] or before a count).'),
  })
  .strict();
export const PoolParameter = z
  .object({ ...common, type: z.literal('pool'), kind: PoolKind.describe('The kind of reward pool the key must name.'), default: Key })
  .strict();
export const EventTypeParameter = z.object({ ...common, type: z.literal('eventType'), default: EventType }).strict();
export const DurationParameter = z
  .object({ ...common, type: z.literal('duration'), default: IsoDuration, min: IsoDuration, max: IsoDuration })
  .strict();
export const ChoiceParameter = z
  .object({ ...common, type: z.literal('choice'), options: z.array(z.string().min(1)).min(1), default: z.string() })
  .strict();
export const ChannelParameter = z.object({ ...common, type: z.literal('channel'), default: MessageChannel }).strict();
export const BooleanParameter = z.object({ ...common, type: z.literal('boolean'), default: z.boolean() }).strict();
export const TimeZoneParameter = z.object({ ...common, type: z.literal('timezone'), default: TimeZone }).strict();

export const ParameterSpec = z.discriminatedUnion('type', [
  IntegerParameter,
  NumberParameter,
  StringParameter,
  PoolParameter,
  EventTypeParameter,
  DurationParameter,
  ChoiceParameter,
  ChannelParameter,
  BooleanParameter,
  TimeZoneParameter,
]);
export type ParameterSpec = z.infer<typeof ParameterSpec>;
export type ParameterValue = string | number | boolean;

/** Milliseconds from the epoch; good enough to order durations with months and years in them. */
const durationMs = (text: string): number => {
  const parsed = parseDuration(text);
  return parsed.ok ? addDuration(0, parsed.value) : Number.NaN;
};

/** The schema a submitted value of this parameter must pass. */
export function valueSchema(spec: ParameterSpec): z.ZodType<ParameterValue> {
  switch (spec.type) {
    case 'integer':
      return z.number().int().min(spec.min).max(spec.max);
    case 'number':
      return z.number().finite().min(spec.min).max(spec.max);
    case 'string': {
      // A value over maxLength stops there: the pattern, linear in the value's length, is never run on a body's megabytes.
      const s = z.string().min(spec.minLength).max(spec.maxLength, { abort: true });
      if (spec.pattern === undefined) return s;
      const pattern = linearPattern(spec.pattern);
      // A declaration is checked (declarationProblems) before any value is: a refused pattern never gets here.
      if (!pattern.ok) throw new Error(`parameter ${spec.name}: ${pattern.message}`);
      return s.regex(pattern.regexp, `must match ${spec.pattern}`);
    }
    case 'pool':
      return Key;
    case 'eventType':
      return EventType;
    case 'duration':
      return IsoDuration.superRefine((text, ctx) => {
        const ms = durationMs(text);
        if (Number.isNaN(ms)) return;
        if (ms < durationMs(spec.min)) ctx.addIssue({ code: 'custom', message: `must be at least ${spec.min}` });
        if (ms > durationMs(spec.max)) ctx.addIssue({ code: 'custom', message: `must be at most ${spec.max}` });
      });
    case 'choice':
      return z.enum(spec.options as [string, ...string[]]);
    case 'channel':
      return MessageChannel;
    case 'boolean':
      return z.boolean();
    case 'timezone':
      return TimeZone;
  }
}

/** A problem of a declaration itself, at the field of the declaration it is about. */
export interface DeclarationProblem {
  field: 'min' | 'pattern' | 'default';
  message: string;
}

/**
 * Problems of a declaration itself: bounds in order, a pattern that is a
 * regular expression the linear-time engine runs (linearPattern: values are
 * checked on the API's one thread, and a pattern the usual engine
 * backtracks through could hold it for minutes), the default within them.
 */
export function declarationProblems(spec: ParameterSpec): DeclarationProblem[] {
  const problems: DeclarationProblem[] = [];
  if ((spec.type === 'integer' || spec.type === 'number') && spec.min > spec.max) problems.push({ field: 'min', message: `min ${spec.min} is above max ${spec.max}` });
  if (spec.type === 'duration' && durationMs(spec.min) > durationMs(spec.max)) problems.push({ field: 'min', message: `min ${spec.min} is longer than max ${spec.max}` });
  if (spec.type === 'string' && spec.pattern !== undefined) {
    const pattern = linearPattern(spec.pattern);
    if (!pattern.ok) {
      problems.push({ field: 'pattern', message: pattern.message });
      return problems;
    }
  }
  const checked = valueSchema(spec).safeParse(spec.default);
  if (!checked.success) problems.push({ field: 'default', message: `default ${JSON.stringify(spec.default)} is refused by its own bounds: ${checked.error.issues[0].message}` });
  return problems;
}
