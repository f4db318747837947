import { Registry } from 'prom-client';
import { IngestMetrics } from './ingest.metrics';

describe('kairos_events_received_total', () => {
  it('shows both outcomes from the start, at 0', async () => {
    const { values } = await new IngestMetrics(new Registry()).eventsReceived.get();
    expect(values.map((v) => [v.labels.status, v.value]).sort()).toEqual([
      ['accepted', 0],
      ['duplicate', 0],
    ]);
  });
});

describe('kairos_events_resent_differing_total', () => {
  it('is shown from the start, at 0', async () => {
    const { values } = await new IngestMetrics(new Registry()).resentDiffering.get();
    expect(values.map((v) => v.value)).toEqual([0]);
  });
});
