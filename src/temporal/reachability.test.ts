import { isUnreachable } from './connectivity';
import { Reachability } from './reachability';

const grpc = (code: number, details: string) => Object.assign(new Error(`${code} ${details}`), { code, details });
/** As the Temporal client throws them: its own error, the gRPC one as the cause. */
const wrapped = (cause: unknown) => Object.assign(new Error('Failed to describe workflow'), { cause });

describe('isUnreachable', () => {
  it('is UNAVAILABLE, or a deadline that ran out before any server took the call, wrapped or not', () => {
    expect(isUnreachable(wrapped(grpc(14, 'No connection established')))).toBe(true);
    expect(isUnreachable(wrapped(grpc(4, 'Deadline exceeded after 0.001s,waiting for metadata filters')))).toBe(true);
    expect(isUnreachable(grpc(4, 'Deadline exceeded after 2.000s,name resolution: 0.005s,waiting for LB pick'))).toBe(true);
  });

  it('is not a deadline a server took the call under (a busy Temporal), a refusal, or anything else', () => {
    expect(isUnreachable(wrapped(grpc(4, 'Deadline exceeded after 10.001s,remote_addr=127.0.0.1:7233')))).toBe(false);
    expect(isUnreachable(wrapped(grpc(5, 'workflow not found')))).toBe(false);
    expect(isUnreachable(new Error('boom'))).toBe(false);
    expect(isUnreachable(null)).toBe(false);
  });
});

describe('Reachability', () => {
  let now = 0;
  const reach = () => new Reachability(30_000, () => now);
  const down = () => Promise.reject(wrapped(grpc(14, 'No connection established')));

  it('remembers a call that found Temporal unreachable for a while, and forgets it when a call gets through', async () => {
    const r = reach();
    expect(r.knownUnreachable()).toBe(false);
    await expect(r.watch(down())).rejects.toThrow('Failed to describe workflow');
    expect(r.knownUnreachable()).toBe(true);
    now += 29_999;
    expect(r.knownUnreachable()).toBe(true);
    expect(await r.watch(Promise.resolve('answer'))).toBe('answer');
    expect(r.knownUnreachable()).toBe(false);
    await expect(r.watch(down())).rejects.toThrow();
    now += 30_000;
    expect(r.knownUnreachable()).toBe(false);
  });

  it('takes no other failure for an outage, nor as proof that Temporal answers', async () => {
    const r = reach();
    await expect(r.watch(Promise.reject(new Error('PostgreSQL away')))).rejects.toThrow();
    expect(r.knownUnreachable()).toBe(false);
    await expect(r.watch(down())).rejects.toThrow();
    await expect(r.watch(Promise.reject(wrapped(grpc(5, 'workflow not found'))))).rejects.toThrow();
    expect(r.knownUnreachable()).toBe(true);
  });
});
