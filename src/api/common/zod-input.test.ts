import { z } from 'zod';
import { IncomingEvent } from '../../domain/event';
import { MAX_LISTED_ISSUES } from '../../domain/issues';
import { refineWellFormedText } from '../../domain/storable';
import { SourceDefinition } from '../../ingest/source-definition';
import { InputError } from './errors';
import { PutUserBody } from '../users/users.schemas';
import { inputPart, parseAll, parseInput } from './zod-input';

const problems = (f: () => unknown) => {
  try {
    f();
    return [];
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    return err.details.map((d) => d.path);
  }
};

describe('parseAll: every part of a request checked at once', () => {
  const Key = z.string().regex(/^[a-z]+$/);
  const Body = z.object({ stepId: z.string().min(1).optional() }).strict();
  const Header = z.string().regex(/^\S+$/).optional();

  it('names the problems of every bad part in one InputError, each under its part', () => {
    const parts = () => parseAll(inputPart(Key, 'Spring', 'campaign'), inputPart(Key, 'u1', 'user'), inputPart(Body, { stepId: '', step: 'x' }), inputPart(Header, 'a b', 'headers.idempotency-key'));
    expect(problems(parts)).toEqual(['campaign', 'user', 'stepId', 'step', 'headers.idempotency-key']);
  });

  it('gives the parsed values in the parts order', () => {
    const [campaign, body, key] = parseAll(inputPart(Key, 'spring', 'campaign'), inputPart(Body, { stepId: 'call' }), inputPart(Header, undefined, 'headers.idempotency-key'));
    expect({ campaign, body, key }).toEqual({ campaign: 'spring', body: { stepId: 'call' }, key: undefined });
  });
});

describe('zodIssues: a record key its schema refuses', () => {
  const details = (input: unknown) => {
    try {
      parseInput(PutUserBody, input);
      return [];
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      return err.details;
    }
  };

  it('an empty attribute name: at `attributes`, not `attributes.`, saying it is empty', () => {
    expect(details({ attributes: { '': 1, plan: 'gold' } })).toEqual([
      { path: 'attributes', message: 'invalid key: an attribute name may not be empty (names are 1 to 200 characters)' },
    ]);
  });

  it('an attribute name past 200 characters: at its own path, saying the limit', () => {
    const long = 'x'.repeat(201);
    expect(details({ attributes: { [long]: 1 } })).toEqual([{ path: `attributes.${long}`, message: 'invalid key: an attribute name is at most 200 characters' }]);
    expect(details({ attributes: { ['x'.repeat(200)]: 1 } })).toEqual([]);
  });

  it('under a prefix, as parseAll reports a part', () => {
    expect(() => parseAll(inputPart(z.record(z.string().min(1), z.number()), { '': 1 }, 'body'))).toThrow(
      expect.objectContaining({ details: [{ path: 'body', message: expect.stringMatching(/^invalid key: /) }] }),
    );
  });
});

describe('zodIssues: a union the input matched no branch of (review 61, finding 2)', () => {
  const source = (userId: unknown) => ({ key: 'sx', broker: 'nats', stream: 'S', subject: 'a.b', mapping: { id: 'id', type: { const: 't.x' }, userId } });
  const details = (schema: z.ZodType, input: unknown) => {
    try {
      parseInput(schema, input);
      return [];
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      return err.details;
    }
  };

  it('names the field of the branch meant, and what is wrong with it, not "Invalid input" at the union', () => {
    expect(details(SourceDefinition, source({ path: 'u', prefix: 123 }))).toEqual([{ path: 'mapping.userId.prefix', message: expect.stringMatching(/expected string, received number/) }]);
    expect(details(SourceDefinition, source({ path: 5 }))).toEqual([{ path: 'mapping.userId.path', message: expect.stringMatching(/expected string, received number/) }]);
    expect(details(SourceDefinition, source({ path: 'u', prefix: null }))).toEqual([{ path: 'mapping.userId.prefix', message: expect.stringMatching(/expected string, received null/) }]);
  });

  it('under a prefix, as parseAll reports a part', () => {
    expect(() => parseAll(inputPart(SourceDefinition, source({ path: 'u', prefix: 1 }), 'body'))).toThrow(expect.objectContaining({ details: [expect.objectContaining({ path: 'body.mapping.userId.prefix' })] }));
  });

  it("keeps the union's own message when every branch refused the value itself", () => {
    const Mode = z.object({ mode: z.union([z.literal('fast'), z.literal('safe'), z.number()], { error: 'expected `fast`, `safe` or a number' }) });
    expect(details(Mode, { mode: 'slow' })).toEqual([{ path: 'mode', message: 'expected `fast`, `safe` or a number' }]);
    // Two object forms, each with a field the other has: neither is the one meant.
    expect(details(SourceDefinition, source({ const: 'x', path: 'a' }))).toEqual([{ path: 'mapping.userId', message: 'Invalid input' }]);
  });
});

describe('zodIssues: at most MAX_LISTED_ISSUES problems, then how many more (review 61, finding 3)', () => {
  const thrown = (f: () => unknown): InputError => {
    try {
      f();
    } catch (err) {
      if (err instanceof InputError) return err;
      throw err;
    }
    throw new Error('no InputError');
  };
  const extraKeys = (n: number, from = 0) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${from + i}`, 0]));

  it('an event with 10,000 unknown fields: the first ones listed, one more detail counting the rest', () => {
    const { details } = thrown(() => parseInput(IncomingEvent, { id: 'x', type: 't', userId: 'u', ...extraKeys(10_000) }));
    expect(details).toHaveLength(MAX_LISTED_ISSUES + 1);
    expect(details[0]).toEqual({ path: 'k0', message: 'Unknown field "k0".' });
    expect(details[MAX_LISTED_ISSUES - 1].path).toBe(`k${MAX_LISTED_ISSUES - 1}`);
    expect(details[MAX_LISTED_ISSUES]).toEqual({ path: '', message: `and ${10_000 - MAX_LISTED_ISSUES} more problems not listed: mend these first` });
  });

  it('exactly MAX_LISTED_ISSUES problems are all listed, with nothing added', () => {
    const { details } = thrown(() => parseInput(IncomingEvent, { id: 'x', type: 't', userId: 'u', ...extraKeys(MAX_LISTED_ISSUES) }));
    expect(details).toHaveLength(MAX_LISTED_ISSUES);
    expect(details.at(-1)?.path).toBe(`k${MAX_LISTED_ISSUES - 1}`);
  });

  it('parseAll caps the problems of all parts together, counting those of every part', () => {
    const Body = z.object({}).strict();
    const { details } = thrown(() => parseAll(inputPart(z.string().min(1), '', 'id'), inputPart(Body, extraKeys(80)), inputPart(Body, extraKeys(80, 80), 'query')));
    expect(details).toHaveLength(MAX_LISTED_ISSUES + 1);
    expect(details[0].path).toBe('id');
    expect(details[MAX_LISTED_ISSUES - 1].path).toBe('query.k98');
    expect(details[MAX_LISTED_ISSUES].message).toBe(`and ${1 + 160 - MAX_LISTED_ISSUES} more problems not listed: mend these first`);
  });

  it("a value's own count of problems it left out counts them all when it finds no room (review-63-users 2)", () => {
    const Profile = z.object({ attributes: z.record(z.string(), z.unknown()).superRefine(refineWellFormedText) }).strict();
    const nuls = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`a${i}`, 'x\u0000']));
    // The id's 100 problems fill the list: the profile's 150 are all counted, not as one.
    const { details } = thrown(() => parseAll(inputPart(z.object({}).strict(), extraKeys(MAX_LISTED_ISSUES), 'query'), inputPart(Profile, { attributes: nuls(150) })));
    expect(details).toHaveLength(MAX_LISTED_ISSUES + 1);
    expect(details[MAX_LISTED_ISSUES].message).toBe('and 150 more problems not listed: mend these first');
  });

  it('the problems of many events of a batch are capped as one list', () => {
    const EventBatch = z.object({ events: z.array(IncomingEvent) }).strict();
    const events = Array.from({ length: 50 }, (_, i) => ({ id: `e${i}`, type: 't', userId: 'u', a: 1, b: 2, c: 3 }));
    const { details } = thrown(() => parseInput(EventBatch, { events }));
    expect(details).toHaveLength(MAX_LISTED_ISSUES + 1);
    expect(details[0].path).toBe('events[0].a');
    expect(details[MAX_LISTED_ISSUES].message).toBe('and 50 more problems not listed: mend these first');
  });
});
