import { z } from 'zod';
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
