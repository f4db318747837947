import { Webhook } from 'standardwebhooks';
import { standardWebhookHeaders, webhookId } from './standard-webhooks';

const body = JSON.stringify({ order: 'ord-1', user: '用户1' });

describe('Standard Webhooks signing', () => {
  it('a receiver verifies with the standardwebhooks library, for a plain and for a whsec_ secret', () => {
    const id = webhookId('webhook', 'spend:用户1:1:1:call');
    const plain = standardWebhookHeaders(id, body, 'a-plain-secret-of-some-length', new Date());
    expect(new Webhook(Buffer.from('a-plain-secret-of-some-length'), { format: 'raw' }).verify(body, plain)).toEqual(JSON.parse(body));
    const whsec = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const spec = standardWebhookHeaders(id, body, whsec, new Date());
    expect(new Webhook(whsec).verify(body, spec)).toEqual(JSON.parse(body));
    expect(() => new Webhook('whsec_' + Buffer.from('another key').toString('base64')).verify(body, spec)).toThrow(/No matching signature/);
  });

  it('a replayed delivery is refused once its timestamp is outside the tolerance window, and a refreshed timestamp breaks the signature', () => {
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const sixMinutesAgo = new Date(Date.now() - 6 * 60 * 1000);
    const captured = standardWebhookHeaders(webhookId('message', 'k'), body, secret, sixMinutesAgo);
    const receiver = new Webhook(secret);
    expect(() => receiver.verify(body, captured)).toThrow(/timestamp too old/);
    const refreshed = { ...captured, 'webhook-timestamp': String(Math.floor(Date.now() / 1000)) };
    expect(() => receiver.verify(body, refreshed)).toThrow(/No matching signature/);
    expect(() => receiver.verify(body.replace('ord-1', 'ord-2'), standardWebhookHeaders(webhookId('message', 'k'), body, secret, new Date()))).toThrow(/No matching signature/);
  });

  it('the webhook id is ASCII, stable per delivery and distinct per kind and key', () => {
    expect(webhookId('webhook', 'spend:用户1:1:1:call')).toMatch(/^msg_[A-Za-z0-9_-]{32}$/);
    expect(webhookId('webhook', 'k')).toBe(webhookId('webhook', 'k'));
    expect(webhookId('webhook', 'k')).not.toBe(webhookId('message', 'k'));
    expect(webhookId('webhook', 'k')).not.toBe(webhookId('webhook', 'k2'));
  });

  it('leaves the signature out without a secret, keeping id and timestamp', () => {
    const h = standardWebhookHeaders('msg_x', body, undefined, new Date(1_700_000_000_500));
    expect(h).toEqual({ 'webhook-id': 'msg_x', 'webhook-timestamp': '1700000000' });
  });
});
