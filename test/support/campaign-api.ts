import type { SystemUnderTest } from './system-under-test';

/** Creates a campaign through the API and activates its first version, as an operator would. */
export async function launchCampaign(sut: SystemUnderTest, definition: Record<string, unknown>): Promise<void> {
  const created = await sut.request('POST', '/v1/campaigns', { role: 'operator', body: definition });
  if (created.status !== 201) throw new Error(`create ${String(definition.key)}: ${created.status} ${JSON.stringify(created.body)}`);
  const activated = await sut.request('POST', `/v1/campaigns/${String(definition.key)}/activate`, { role: 'operator', body: {} });
  if (activated.status !== 200) throw new Error(`activate ${String(definition.key)}: ${activated.status} ${JSON.stringify(activated.body)}`);
}

/** Sends one event through the API; throws unless it was accepted. */
export async function sendEvent(sut: SystemUnderTest, event: { id: string; type: string; userId: string; properties?: Record<string, unknown> }) {
  const res = await sut.request('POST', '/v1/events', { role: 'ingest', body: event });
  if (res.status !== 202 || res.body.accepted !== 1) throw new Error(`event ${event.id}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.results[0] as { id: string; journeys: string[] };
}
