import { z } from 'zod';
import { InputError } from './errors';
import { inputPart, parseAll } from './zod-input';

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
