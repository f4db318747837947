import { previewActionWords } from './preview-words';

describe('previewActionWords', () => {
  it('says each action the preview resolved in words, with its pool', () => {
    expect(previewActionWords({ type: 'points', amount: 250, pool: 'loyalty' })).toBe('250 points from pool loyalty');
    expect(previewActionWords({ type: 'points', amount: 1, pool: null })).toBe('1 point');
    expect(previewActionWords({ type: 'credit', amount: 12.5, currency: 'EUR', pool: null })).toBe('12.5 EUR credit');
    expect(previewActionWords({ type: 'coupon', pool: 'welcome', unlessHolding: true })).toBe('a coupon from pool welcome (unless the user holds one of it)');
    expect(previewActionWords({ type: 'message', channel: 'push', template: 'welcome-back', data: {} })).toBe('push message welcome-back');
    expect(previewActionWords({ type: 'webhook', url: 'https://crm.example/hook', body: {} })).toBe('webhook to https://crm.example/hook');
  });

  it('shows an action it does not know as its JSON rather than hiding it', () => {
    expect(previewActionWords({ type: 'gift', size: 'L' })).toBe('{"type":"gift","size":"L"}');
  });
});
