import { Backoff } from '../retry/backoff';
import { isConnectivityError } from '../temporal/connectivity';

export interface GateLog {
  info(line: string): void;
  warn(line: string): void;
}

const FIRST_RETRY_MS = 1_000;
const MAX_RETRY_MS = 30_000;
/**
 * How long an API that boots through an outage waits for the first answer:
 * a Temporal that is down takes the client's whole connect timeout (10 s) to
 * say so, and the API need not wait for that to accept events.
 */
const BOOT_GRACE_MS = 2_000;

/**
 * Journeys start with Kairos's search attributes, and Temporal refuses such
 * a start until they are registered and its frontend knows them (register
 * waits for that: ensureSearchAttributes). So no journey is started before
 * they are. An API that boots while Temporal is away keeps trying to
 * register them in the background; its deliveries wait in the outbox
 * meanwhile, as in any outage.
 */
export class SearchAttributesGate {
  private registered = false;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly backoff: Backoff;

  constructor(
    private readonly register: () => Promise<void>,
    private readonly address: string,
    private readonly log: GateLog,
    private readonly retryMs = { first: FIRST_RETRY_MS, max: MAX_RETRY_MS, bootGrace: BOOT_GRACE_MS },
  ) {
    this.backoff = new Backoff(retryMs.first, retryMs.max);
  }

  /** True once the search attributes are known to be registered. */
  get isOpen(): boolean {
    return this.registered;
  }

  /**
   * Registers them now. Anything but an unreachable Temporal throws (a
   * refused API key should stop the boot); with `tolerateOutage`, an
   * unreachable one is retried with backoff until it answers, else it throws
   * too. With `tolerateOutage`, a first attempt still under way after the
   * boot grace goes on in the background (boot goes on meanwhile): Temporal
   * is away or slow, and either way its answer is handled as a retry's.
   */
  async open(tolerateOutage: boolean): Promise<void> {
    if (!tolerateOutage) {
      await this.register();
      this.registered = true;
      return;
    }
    const first = this.register().then(
      () => ({ ok: true as const }),
      (err: Error) => ({ ok: false as const, err }),
    );
    let grace: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      grace = setTimeout(() => resolve('late'), this.retryMs.bootGrace);
    });
    const outcome = await Promise.race([first, late]);
    clearTimeout(grace);
    if (outcome === 'late') {
      this.log.warn(
        `Temporal at ${this.address} has not answered within ${this.retryMs.bootGrace / 1000} s; the API accepts events into the outbox ` +
          'and delivers them once it does (GET /readyz reports Temporal meanwhile)',
      );
      void first.then((settled) => {
        // A process that stopped meanwhile has nothing left to open or log.
        if (this.stopped) return;
        if (settled.ok) return this.opened();
        // Its message says how TLS was set, the first thing to check when Temporal is known to be up: said once.
        if (isConnectivityError(settled.err)) this.log.warn(`Temporal at ${this.address} does not answer (${settled.err.message}); retrying`);
        this.failed(settled.err);
      });
      return;
    }
    if (outcome.ok) {
      this.registered = true;
      return;
    }
    if (!isConnectivityError(outcome.err)) throw outcome.err;
    this.log.warn(
      `Temporal at ${this.address} does not answer (${outcome.err.message}); the API accepts events into the outbox ` +
        'and delivers them once it does (GET /readyz reports Temporal meanwhile)',
    );
    this.retry(this.backoff.next());
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private retry(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.register().then(
        () => this.opened(),
        (err: Error) => this.failed(err),
      );
    }, delayMs);
    // The HTTP server keeps the process alive; this retry alone must not.
    this.timer.unref();
  }

  private opened(): void {
    this.registered = true;
    this.log.info(`Temporal at ${this.address} answers: search attributes registered, journeys start`);
  }

  /** A background attempt failed: try again later, each time after longer. */
  private failed(err: Error): void {
    if (!isConnectivityError(err)) this.log.warn(`Registering search attributes at ${this.address} failed: ${err.message}; retrying`);
    this.retry(this.backoff.next());
  }
}
