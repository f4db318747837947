import { startReceiver } from './ledger/webhook-receiver';
import { launchCampaign, sendEvent } from './support/campaign-api';
import { crmCallCampaign } from './support/campaign-fixtures';
import { eventually, startSystemUnderTest, type SystemUnderTest } from './support/system-under-test';

/**
 * GET /v1/held-steps asks each held journey which steps it holds, and a
 * query needs a worker. With the worker down (when on-call looks), a held
 * journey is listed as unanswered, never dropped as if nothing were held.
 */
describe('held steps while no worker answers', () => {
  let sut: SystemUnderTest;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  beforeAll(async () => {
    receiver = await startReceiver(() => 400);
    // Its own namespace: held steps are listed namespace-wide, and other suites hold steps too.
    sut = await startSystemUnderTest({ namespace: 'kairos-test-held-unanswered', env: { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' } });
  });
  afterAll(async () => {
    await sut?.stop();
    await receiver?.close();
  });

  it('lists the held journey as unanswered, with its link, and no held step', async () => {
    await launchCampaign(sut, crmCallCampaign('crm-down', receiver.url('/crm')));
    await sendEvent(sut, { id: 'fay-signup', type: 'signup.completed', userId: 'fay' });
    await eventually(async () => {
      const r = await sut.request('GET', '/v1/held-steps', { role: 'support' });
      return r.body.held?.length === 1 ? true : undefined;
    });
    await sut.stopWorker();
    const res = await sut.request('GET', '/v1/held-steps', { role: 'support' });
    expect({ status: res.status, body: res.body }).toEqual({
      status: 200,
      body: { held: [], unanswered: [{ campaign: 'crm-down', userId: 'fay', workflowId: 'journey:crm-down:fay', temporalUrl: null }], next: null },
    });
  });
});
