import type { JourneyEvent } from '../domain/event';
import { routedEvent } from './journey-gateway';

const event: JourneyEvent = { version: 1, id: 'e-1', type: 'order.completed', userId: 'u-1', occurredAt: '2026-12-05T10:00:00Z', properties: {} };

describe('routedEvent: what a delivery tells the journey about itself', () => {
  it('a start delivery names the version it was routed to; a signal delivery says it is one (no entry)', () => {
    expect(routedEvent(event, { kind: 'start', campaignVersion: 3 })).toEqual({ ...event, campaignVersion: 3 });
    expect(routedEvent(event, { kind: 'signal', campaignVersion: 3 })).toEqual({ ...event, delivery: 'signal' });
  });

  it('keeps neither mark from a stored event: a start is no signal delivery, nor a signal routed to a version', () => {
    const marked: JourneyEvent = { ...event, campaignVersion: 9, delivery: 'signal' };
    expect(routedEvent(marked, { kind: 'start', campaignVersion: 2 })).toEqual({ ...event, campaignVersion: 2 });
    expect(routedEvent(marked, { kind: 'signal', campaignVersion: 2 })).toEqual({ ...event, delivery: 'signal' });
  });
});
