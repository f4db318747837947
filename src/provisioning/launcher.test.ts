import { Connection } from '@temporalio/client';
import { ConfigError } from '../config/config';
import { ensureSearchAttributes } from './launcher';

jest.mock('@temporalio/client', () => ({ Connection: { connect: jest.fn() } }));

const grpcError = (code: number, message: string) => Object.assign(new Error(message), { code });

/** A connection whose operator service answers as given; records what was added. */
function fakeConnection(operator: { list: () => Promise<unknown>; add?: (request: unknown) => Promise<unknown> }) {
  const added: unknown[] = [];
  const connection = {
    operatorService: {
      listSearchAttributes: jest.fn(operator.list),
      addSearchAttributes: jest.fn(async (request: unknown) => {
        added.push(request);
        return operator.add ? operator.add(request) : {};
      }),
    },
    close: jest.fn(async () => undefined),
  };
  jest.mocked(Connection.connect).mockResolvedValue(connection as unknown as Connection);
  return { connection, added };
}

async function refusal(run: Promise<void>): Promise<ConfigError> {
  const err: unknown = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ConfigError);
  return err as ConfigError;
}

describe('ensureSearchAttributes', () => {
  it('registers only the missing attributes, and takes ALREADY_EXISTS (another process was first) as done', async () => {
    const { added, connection } = fakeConnection({
      list: async () => ({ customAttributes: { CampaignKey: 2, UserId: 2 } }),
      add: async () => {
        throw grpcError(6, '6 ALREADY_EXISTS: Search attribute JourneyState already exists.');
      },
    });
    await ensureSearchAttributes('temporal:7233', 'ns');
    expect(added).toEqual([{ namespace: 'ns', searchAttributes: { JourneyState: 2, CampaignVersion: 3 } }]);
    expect(connection.close).toHaveBeenCalled();
  });

  it.each([
    [7, '7 PERMISSION_DENIED: Request unauthorized.'],
    [12, '12 UNIMPLEMENTED: unknown method AddSearchAttributes'],
  ])('turns a refused registration (gRPC %i, as Temporal Cloud answers) into a configuration error naming what to create and how', async (code, message) => {
    const { connection } = fakeConnection({
      list: async () => ({ customAttributes: { CampaignKey: 2 } }),
      add: async () => {
        throw grpcError(code, message);
      },
    });
    const err = await refusal(ensureSearchAttributes('ns.acct.tmprl.cloud:7233', 'ns.acct'));
    expect(err.problems).toHaveLength(1);
    const [line] = err.problems;
    expect(line).toMatch(/^TEMPORAL_NAMESPACE: Temporal at ns\.acct\.tmprl\.cloud:7233 refused to register Kairos's search attributes \(/);
    expect(line).toContain(message);
    // The ones still missing, with their types, in that namespace; CampaignKey exists already.
    expect(line).toContain('create UserId (Keyword), JourneyState (Keyword) and CampaignVersion (Int) in namespace "ns.acct"');
    expect(line).not.toContain('CampaignKey');
    expect(line).toContain(
      'tcld namespace search-attributes add --namespace ns.acct --search-attribute "UserId=Keyword" --search-attribute "JourneyState=Keyword" --search-attribute "CampaignVersion=Int"',
    );
    expect(line).toContain('the Cloud UI');
    expect(connection.close).toHaveBeenCalled();
  });

  it('turns a refused listing into a configuration error naming the namespace and every attribute Kairos needs', async () => {
    const { added } = fakeConnection({
      list: async () => {
        throw grpcError(7, '7 PERMISSION_DENIED: Request unauthorized.');
      },
    });
    const err = await refusal(ensureSearchAttributes('temporal:7233', 'kairos'));
    expect(err.problems).toEqual([
      expect.stringMatching(/^TEMPORAL_NAMESPACE: Temporal at temporal:7233 refused to list the search attributes of namespace "kairos" \(7 PERMISSION_DENIED: Request unauthorized\.\)/),
    ]);
    expect(err.problems[0]).toContain('CampaignKey (Keyword), UserId (Keyword), JourneyState (Keyword) and CampaignVersion (Int) exist there');
    expect(err.problems[0]).toContain('tcld namespace search-attributes add --namespace kairos');
    expect(added).toEqual([]);
  });

  it('passes any other refusal on as it is', async () => {
    const boom = grpcError(13, '13 INTERNAL: boom');
    fakeConnection({
      list: async () => ({ customAttributes: {} }),
      add: async () => {
        throw boom;
      },
    });
    await expect(ensureSearchAttributes('temporal:7233', 'ns')).rejects.toBe(boom);
  });
});
