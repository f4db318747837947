import { dateTime } from '../../ui/clock';
import { previewActionWords, previewBodyText, previewWaitWords } from './preview-words';

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

describe('previewWaitWords and previewBodyText', () => {
  it('says until when a message waits out quiet hours, and that what follows waits with it', () => {
    const iso = '2026-11-11T07:00:00.000Z';
    expect(previewWaitWords(iso)).toBe(`waits out quiet hours until ${dateTime(new Date(iso))}; the steps after it and the state's transitions wait with it`);
  });

  it('says the time in the browser’s zone, naming it, never the raw UTC instant', () => {
    const iso = '2026-11-11T07:00:00.000Z';
    const zone = new Intl.DateTimeFormat(undefined, { timeZoneName: 'short' }).formatToParts(new Date(iso)).find((p) => p.type === 'timeZoneName')!.value;
    expect(previewWaitWords(iso)).not.toContain(iso);
    expect(previewWaitWords(iso)).toContain(zone);
    // Text that is no time is shown as given rather than "Invalid Date".
    expect(previewWaitWords('soon')).toContain('until soon;');
  });

  it('shows the body a webhook would POST, {} when it has none', () => {
    expect(previewBodyText({ type: 'webhook', url: 'https://crm.example/hook', body: { tier: 2 } })).toBe('{"tier":2}');
    expect(previewBodyText({ type: 'webhook', url: 'https://crm.example/hook' })).toBe('{}');
    expect(previewBodyText({ type: 'webhook', url: 'https://crm.example/hook', body: null })).toBe('{}');
  });
});
