import { Gauge, Registry } from 'prom-client';
import { UnacknowledgedCount } from './unacknowledged-count';

describe('UnacknowledgedCount', () => {
  const setUp = () => {
    const gauge = new Gauge({ name: 'unacked', help: 'test', labelNames: ['source'], registers: [new Registry()] });
    const shown = async () => (await gauge.get()).values.find((v) => v.labels.source === 'shop')?.value;
    return { count: new UnacknowledgedCount(gauge, 'shop'), shown };
  };

  it('counts deliveries taken and not settled, each settled once however often it is settled', async () => {
    const { count, shown } = setUp();
    const first = count.take();
    const second = count.take();
    expect(await shown()).toBe(2);
    first();
    first();
    expect(await shown()).toBe(1);
    second();
    expect(await shown()).toBe(0);
  });

  it('starts again at 0 when the connection goes, and a later settle of an earlier delivery does not take it below', async () => {
    const { count, shown } = setUp();
    const earlier = count.take();
    count.take();
    count.newConnection();
    expect(await shown()).toBe(0);
    const next = count.take();
    earlier();
    expect(await shown()).toBe(1);
    next();
    expect(await shown()).toBe(0);
  });
});
