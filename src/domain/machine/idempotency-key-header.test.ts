import { readFileSync } from 'node:fs';
import path from 'node:path';
import { headerSafe } from '../../activities/messages/header-value';
import { webhookId } from '../../activities/messages/standard-webhooks';
import { campaignWith } from '../testing/campaigns';
import { compiled } from '../testing/journey';
import { initialJourneyState } from './state';
import { step } from './step';

const operations = readFileSync(path.resolve(__dirname, '../../../docs/operations.md'), 'utf8');

/** The recipe docs/operations.md gives a receiver ("Which user a webhook action is for"), line for line. */
const RECIPE = [
  "const key = decodeURIComponent(req.header('idempotency-key')!);",
  'const [campaign, user, entry, visit, step] = key.split(\':\').map(decodeURIComponent);',
];

/** The recipe run on a received Idempotency-Key header. */
function readHeader(header: string): { key: string; campaign: string; user: string; entry: string; visit: string; step: string } {
  const key = decodeURIComponent(header);
  const [campaign, user, entry, visit, stepId] = key.split(':').map(decodeURIComponent);
  return { key, campaign, user, entry, visit, step: stepId };
}

const plan = compiled(
  campaignWith({ start: { actions: { steps: [{ id: 'notify', type: 'webhook', url: 'https://hooks.example/spring' }] }, transitions: [{ to: 'done' }] }, done: { end: true } }, { key: 'spring' }),
);

/** The Idempotency-Key of the webhook action `notify` for `userId`'s first entry, as the journey makes it. */
function webhookKey(userId: string, options: { encodedIdempotencyKeys?: boolean } = {}): string {
  const state = initialJourneyState(plan, { campaignKey: plan.key, userId, seed: 's' });
  const event = { version: 1 as const, id: 'e1', type: 'order.completed', userId, occurredAt: '2026-11-21T10:00:00Z', properties: {} };
  const { effects } = step(plan, state, { version: 1, kind: 'event', event, now: Date.parse('2026-11-21T10:00:00Z') }, options);
  const action = effects.find((e) => e.kind === 'runAction' && e.stepId === 'notify');
  if (!action || action.kind !== 'runAction') throw new Error('no webhook action');
  return action.idempotencyKey;
}

describe('reading the user from a webhook action’s Idempotency-Key, as docs/operations.md says', () => {
  it('the docs give the recipe these tests run', () => {
    for (const line of RECIPE) expect(operations).toContain(line);
  });

  it.each(['shop:42', '50%off', 'a:%3A:%25', '用户:1'])('gives back user %s, and the key webhook-id is computed over', (userId) => {
    const key = webhookKey(userId);
    const header = headerSafe(key);
    const read = readHeader(header);
    expect(read).toEqual({ key, campaign: 'spring', user: userId, entry: '1', visit: '1', step: 'notify' });
    expect(webhookId('webhook', read.key)).toBe(webhookId('webhook', key));
  });

  it('the example of the docs: user shop:42 at step notify of campaign spring', () => {
    const key = webhookKey('shop:42');
    expect([key, headerSafe(key)]).toEqual(['spring:shop%3A42:1:1:notify', 'spring:shop%253A42:1:1:notify']);
    expect(operations.replace(/\s+/g, ' ')).toContain(`has the key \`${key}\`, sent as the header \`${headerSafe(key)}\``);
    // Decoding the header alone leaves the part escaped: another user's id, maybe.
    expect(decodeURIComponent(headerSafe(key)).split(':')[1]).toBe('shop%3A42');
  });

  it('keys of journeys from before patch encoded-reward-keys keep their parts as written: an id holding : is not read back', () => {
    const key = webhookKey('shop:42', { encodedIdempotencyKeys: false });
    expect(key).toBe('spring:shop:42:1:1:notify');
    expect(readHeader(headerSafe(key)).user).toBe('shop');
    expect(readHeader(headerSafe(webhookKey('u-1', { encodedIdempotencyKeys: false }))).user).toBe('u-1');
  });
});
