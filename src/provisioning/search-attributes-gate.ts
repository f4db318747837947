import { isConnectivityError } from '../temporal/connectivity';

export interface GateLog {
  info(line: string): void;
  warn(line: string): void;
}

const FIRST_RETRY_MS = 1_000;
const MAX_RETRY_MS = 30_000;

/**
 * Journeys start with Kairos's search attributes, and Temporal refuses such
 * a start for good until they are registered. So no journey is started
 * before they are. An API that boots while Temporal is away keeps trying to
 * register them in the background; its deliveries wait in the outbox
 * meanwhile, as in any outage.
 */
export class SearchAttributesGate {
  private registered = false;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly register: () => Promise<void>,
    private readonly address: string,
    private readonly log: GateLog,
    private readonly retryMs = { first: FIRST_RETRY_MS, max: MAX_RETRY_MS },
  ) {}

  /** True once the search attributes are known to be registered. */
  get isOpen(): boolean {
    return this.registered;
  }

  /**
   * Registers them now. Anything but an unreachable Temporal throws (a
   * refused API key should stop the boot); with `tolerateOutage`, an
   * unreachable one is retried with backoff until it answers, else it throws too.
   */
  async open(tolerateOutage: boolean): Promise<void> {
    try {
      await this.register();
      this.registered = true;
    } catch (err) {
      if (!tolerateOutage || !isConnectivityError(err)) throw err;
      this.log.warn(
        `Temporal at ${this.address} does not answer (${(err as Error).message}); the API accepts events into the outbox ` +
          'and delivers them once it does (GET /readyz reports Temporal meanwhile)',
      );
      this.retry(this.retryMs.first);
    }
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private retry(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.register().then(
        () => {
          this.registered = true;
          this.log.info(`Temporal at ${this.address} answers: search attributes registered, journeys start`);
        },
        (err: Error) => {
          if (!isConnectivityError(err)) this.log.warn(`Registering search attributes at ${this.address} failed: ${err.message}; retrying`);
          this.retry(Math.min(delayMs * 2, this.retryMs.max));
        },
      );
    }, delayMs);
    // The HTTP server keeps the process alive; this retry alone must not.
    this.timer.unref();
  }
}
