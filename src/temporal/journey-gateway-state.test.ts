import { QueryNotRegisteredError, type Client } from '@temporalio/client';
import { JourneyGateway } from './journey-gateway';

/** A client whose journey has no `state` handler yet for the first `starting` queries, then answers. */
function clientStartingFor(starting: number): { client: Client; queries: () => number } {
  let n = 0;
  const handle = {
    query: async () => {
      if (n++ < starting) throw new QueryNotRegisteredError('Workflow did not register a handler for state. Registered queries: []', 3);
      return { status: 'active' };
    },
  };
  return { client: { workflow: { getHandle: () => handle } } as unknown as Client, queries: () => n };
}

describe('JourneyGateway.state', () => {
  it('asks a run that is starting again until it answers', async () => {
    const { client, queries } = clientStartingFor(2);
    await expect(new JourneyGateway(client, 'q').state('journey:c:u')).resolves.toEqual({ status: 'active' });
    expect(queries()).toBe(3);
  });

  it('asks a closed run once: it starts no more', async () => {
    const { client, queries } = clientStartingFor(2);
    await expect(new JourneyGateway(client, 'q').state('journey:c:u', 'run-1', { whileStarting: false })).rejects.toBeInstanceOf(QueryNotRegisteredError);
    expect(queries()).toBe(1);
  });
});
