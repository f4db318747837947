import type { ScheduleDescription } from '@temporalio/client';
import type { CampaignRow } from '../../store/repositories/campaigns.repository';
import { compileCampaign } from '../../domain/compiler';
import { driftOf, scheduleUnavailable, wantedSchedule, type WantedSchedule } from './batch-schedules.service';

const campaign = (status: CampaignRow['status'], activeVersion: number | null): CampaignRow => ({
  key: 'weekly',
  name: 'Weekly',
  status,
  activeVersion,
  latestVersion: 4,
  createdAt: '2026-12-01T00:00:00.000Z',
  updatedAt: '2026-12-01T00:00:00.000Z',
});

describe('scheduleUnavailable', () => {
  it('names the request that brings the schedule in line, with a Retry-After, when nothing landed since', () => {
    const err = scheduleUnavailable(campaign('paused', 3), 'deadline exceeded');
    expect(err.message).toBe('Campaign weekly is paused, but its batch-entry schedule could not be updated (deadline exceeded); to bring it in line, send POST /v1/campaigns/weekly/pause.');
    expect(err.retryAfterSeconds).toBe(5);
  });

  it('says what repeating an activation would do when another activation landed after it', () => {
    const err = scheduleUnavailable(campaign('active', 4), 'unavailable', { action: 'activate', version: 3 });
    expect(err.message).toBe(
      'This activation of version 3 was stored, but campaign weekly changed meanwhile and is now active (version 4); its batch-entry schedule could not be updated to match (unavailable). ' +
        'Do not send this request again: it would switch the campaign back to version 3. To bring the schedule in line, send POST /v1/campaigns/weekly/activate with {"version":4}.',
    );
    expect(err.retryAfterSeconds).toBeNull();
  });

  it('says a repeated activation would activate again when a pause landed after it', () => {
    const err = scheduleUnavailable(campaign('paused', 3), 'unavailable', { action: 'activate', version: 3 });
    expect(err.message).toContain('This activation of version 3 was stored');
    expect(err.message).toContain('Do not send this request again: it would activate version 3 again. To bring the schedule in line, send POST /v1/campaigns/weekly/pause.');
  });

  it('says a repeated activation would be refused when a pause landed after it and the activation named ifStatus without paused', () => {
    const err = scheduleUnavailable(campaign('paused', 3), 'unavailable', { action: 'activate', version: 3, ifStatus: ['draft', 'active'] });
    expect(err.message).toContain('Do not send this request again: it would be refused, as the campaign is paused. To bring the schedule in line, send POST /v1/campaigns/weekly/pause.');
  });

  it('says a repeated pause would pause again when an activation landed after it', () => {
    const err = scheduleUnavailable(campaign('active', 1), 'unavailable', { action: 'pause' });
    expect(err.message).toContain('This pause was stored, but campaign weekly changed meanwhile and is now active (version 1)');
    expect(err.message).toContain('Do not send this request again: it would pause the campaign again. To bring the schedule in line, send POST /v1/campaigns/weekly/activate with {"version":1}.');
  });

  it('says a repeated request would be refused once the campaign is archived', () => {
    const err = scheduleUnavailable(campaign('archived', 2), 'unavailable', { action: 'pause' });
    expect(err.message).toContain('Do not send this request again: it would be refused, as the campaign is archived. To bring the schedule in line, send POST /v1/campaigns/weekly/archive.');
  });
});

describe('driftOf: how a batch-entry Schedule differs from its campaign (review 48, finding 1)', () => {
  const wanted: WantedSchedule = { version: 3, paused: false, timezone: 'Europe/Paris', startsAt: null, endsAt: null };
  const described = (
    over: { taskQueue?: string; version?: number; timezone?: string; paused?: boolean; workflowType?: string; catchupWindow?: number; startAt?: Date; endAt?: Date } = {},
  ) =>
    ({
      policies: { catchupWindow: over.catchupWindow ?? 10 * 60_000 },
      action: { type: 'startWorkflow', workflowType: over.workflowType ?? 'batchEntryWorkflow', taskQueue: over.taskQueue ?? 'kairos-prod', args: [{ version: 1, campaignKey: 'weekly', campaignVersion: over.version ?? 3 }] },
      spec: { timezone: over.timezone ?? 'Europe/Paris', startAt: over.startAt, endAt: over.endAt },
      state: { paused: over.paused ?? false },
    }) as unknown as ScheduleDescription;

  it('finds nothing when the Schedule is as the campaign wants, or absent when it wants none', () => {
    expect(driftOf(described(), wanted, 'kairos-prod')).toBeNull();
    expect(driftOf(null, null, 'kairos-prod')).toBeNull();
  });

  it('names a missing Schedule, one left behind, another task queue, version, zone or paused state', () => {
    expect(driftOf(null, wanted, 'kairos-prod')).toBe('its Schedule is missing');
    expect(driftOf(described(), null, 'kairos-prod')).toBe('a Schedule exists, though the campaign has no batch entry now');
    expect(driftOf(described({ taskQueue: 'kairos-journeys' }), wanted, 'kairos-prod')).toBe('its Schedule starts ticks on task queue kairos-journeys, not kairos-prod');
    expect(driftOf(described({ version: 2 }), wanted, 'kairos-prod')).toBe('its Schedule runs version 2, not 3');
    expect(driftOf(described({ timezone: 'UTC' }), wanted, 'kairos-prod')).toBe('its Schedule runs in UTC, not Europe/Paris');
    expect(driftOf(described({ paused: true }), wanted, 'kairos-prod')).toBe('its Schedule is paused, though the campaign is active');
    expect(driftOf(described(), { ...wanted, paused: true }, 'kairos-prod')).toBe('its Schedule runs, though the campaign is paused');
    // Made before the catchup window was set: Temporal's default year (review-50-batch, finding 5).
    expect(driftOf(described({ catchupWindow: 365 * 24 * 3_600_000 }), wanted, 'kairos-prod')).toBe(
      'its Schedule catches up ticks missed up to 365 days late, more than a tick may start late (a day)',
    );
    expect(driftOf(described({ catchupWindow: 24 * 3_600_000 }), wanted, 'kairos-prod')).toBeNull();
    expect(driftOf(described({ workflowType: 'other' }), wanted, 'kairos-prod')).toBe('its Schedule starts other, not batchEntryWorkflow');
  });
});

describe("driftOf and the campaign's schedule window (review 57, finding 1)", () => {
  const startsAt = Date.parse('2026-12-10T00:00:00Z');
  const endsAt = Date.parse('2026-12-20T00:00:00Z');
  const weekly = { key: 'weekly', name: 'Weekly', entry: { cron: '0 9 * * 1', timezone: 'Europe/Paris' }, initial: 'done', states: { done: { end: true } } };
  const planWith = (schedule: Record<string, string>) => {
    const compiled = compileCampaign({ ...weekly, schedule }, { version: 3 });
    if (!compiled.ok) throw new Error(JSON.stringify(compiled.issues));
    return compiled.value;
  };
  const described = (spec: { startAt?: Date; endAt?: Date }) =>
    ({
      policies: { catchupWindow: 10 * 60_000 },
      action: { type: 'startWorkflow', workflowType: 'batchEntryWorkflow', taskQueue: 'kairos-prod', args: [{ version: 1, campaignKey: 'weekly', campaignVersion: 3 }] },
      spec: { timezone: 'Europe/Paris', ...spec },
      state: { paused: false },
    }) as unknown as ScheduleDescription;

  it("wants the active version's schedule.startsAt and endsAt", () => {
    const wanted = wantedSchedule(campaign('active', 3), planWith({ startsAt: '2026-12-10T00:00:00Z', endsAt: '2026-12-20T00:00:00Z' }));
    expect(wanted).toEqual({ version: 3, paused: false, timezone: 'Europe/Paris', startsAt, endsAt });
    expect(wantedSchedule(campaign('active', 3), planWith({}))).toMatchObject({ startsAt: null, endsAt: null });
  });

  it('finds a Schedule without the window (made by an older Kairos) out of line, so the reconcile pass sets it', () => {
    const wanted = wantedSchedule(campaign('active', 3), planWith({ startsAt: '2026-12-10T00:00:00Z', endsAt: '2026-12-20T00:00:00Z' }));
    expect(driftOf(described({}), wanted, 'kairos-prod')).toBe("its Schedule's startAt is unset, not 2026-12-10T00:00:00.000Z (schedule.startsAt)");
    expect(driftOf(described({ startAt: new Date(startsAt) }), wanted, 'kairos-prod')).toBe("its Schedule's endAt is unset, not 2026-12-20T00:00:00.000Z (schedule.endsAt)");
    expect(driftOf(described({ startAt: new Date(startsAt), endAt: new Date(endsAt - 1) }), wanted, 'kairos-prod')).toBe(
      "its Schedule's endAt is 2026-12-19T23:59:59.999Z, not 2026-12-20T00:00:00.000Z (schedule.endsAt)",
    );
    expect(driftOf(described({ startAt: new Date(startsAt), endAt: new Date(endsAt) }), wanted, 'kairos-prod')).toBeNull();
  });

  it('finds a window the active version no longer has out of line', () => {
    const wanted = wantedSchedule(campaign('active', 3), planWith({}));
    expect(driftOf(described({ endAt: new Date(endsAt) }), wanted, 'kairos-prod')).toBe("its Schedule's endAt is 2026-12-20T00:00:00.000Z, not unset (schedule.endsAt)");
    expect(driftOf(described({}), wanted, 'kairos-prod')).toBeNull();
  });
});

describe('driftOf after schedule.endsAt (review 58, finding 1)', () => {
  const endsAt = Date.parse('2026-01-01T00:00:00Z');
  const wanted: WantedSchedule = { version: 1, paused: false, timezone: 'UTC', startsAt: null, endsAt };

  it('finds a missing Schedule in line once the window has closed: Temporal deletes a finished Schedule about a week after its end', () => {
    expect(driftOf(null, wanted, 'q', Date.parse('2026-01-09T00:00:00Z'))).toBeNull();
    expect(driftOf(null, { ...wanted, paused: true }, 'q', Date.parse('2026-01-09T00:00:00Z'))).toBeNull();
  });

  it('still finds it missing while the window is open, or with no end', () => {
    expect(driftOf(null, wanted, 'q', endsAt)).toBe('its Schedule is missing');
    expect(driftOf(null, { ...wanted, endsAt: null }, 'q', Date.parse('2026-01-09T00:00:00Z'))).toBe('its Schedule is missing');
  });
});
