import { formatElapsed, GoBuildProgress } from './cli-binary';

describe('the Temporal CLI build progress', () => {
  it('says what go install is doing and for how long', () => {
    const p = new GoBuildProgress();
    expect(p.describe(4_000)).toBe('  ... building the Temporal CLI, 4s elapsed; resolving the module');
    p.take('go: downloading github.com/temporalio/cli v1.5.1');
    p.take('go: downloading go.temporal.io/server v1.29.0');
    expect(p.describe(65_000)).toBe('  ... building the Temporal CLI, 1m 05s elapsed; downloading modules: 2 so far (last go.temporal.io/server)');
    p.take('internal/goarch');
    p.take('go.temporal.io/server/common/log');
    p.take('');
    expect(p.describe(600_000)).toBe('  ... building the Temporal CLI, 10m 00s elapsed; compiling: 2 packages so far (last go.temporal.io/server/common/log)');
    expect(formatElapsed(59_999)).toBe('59s');
  });
});
