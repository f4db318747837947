import { clientFor, type KairosClient } from './api';
import { resolveConnection, resolveTimeout, type Connection } from './connection';
import type { CliIo } from './io';
import { proxyFor } from './proxy';
import { oneLine, printable } from './terminal-text';

export interface GlobalOptions {
  url?: string;
  apiKey?: string;
  profile?: string;
  timeout?: string;
  json?: boolean;
}

/** What every command gets: the io, and the client built from the global options on first use. */
export class CommandContext {
  private resolved?: { connection: Connection; client: KairosClient };

  constructor(
    readonly io: CliIo,
    /** The global options (commander's, once parsed). */
    private readonly options: () => GlobalOptions,
  ) {}

  get connection(): Connection {
    return this.resolve().connection;
  }

  get client(): KairosClient {
    return this.resolve().client;
  }

  /**
   * Resolves the connection now, so that a setting it cannot use (a URL
   * without its scheme, a key no header carries, a --timeout that is no
   * number) is the usage error it is before a command reads its input, rather
   * than at its first request.
   */
  checkConnection(): void {
    this.resolve();
  }

  /** Whether the last resolution happened (error messages name the URL only then). */
  get connected(): Connection | undefined {
    return this.resolved?.connection;
  }

  get json(): boolean {
    return Boolean(this.options().json);
  }

  /**
   * One line of output. What the server sent may hold terminal escapes, and
   * line breaks: an event id holding `\n` would print a second line that
   * reads as the CLI's own (a step of a journey's trace). oneLine() shows
   * them all as escapes, so a line printed is one line.
   */
  out(line = ''): void {
    this.io.stdout(`${oneLine(line)}\n`);
  }

  err(line: string): void {
    this.io.stderr(`${oneLine(line)}\n`);
  }

  /**
   * A value as indented JSON (--json): its line breaks are JSON's own, as
   * JSON.stringify escapes those in strings; printable() escapes the
   * controls it leaves raw (C1, bidirectional), which stays valid JSON.
   */
  printJson(value: unknown): void {
    this.io.stdout(`${printable(JSON.stringify(value, null, 2))}\n`);
  }

  private resolve() {
    if (!this.resolved) {
      const { url, apiKey, profile, timeout } = this.options();
      const resolved = resolveConnection({ url, apiKey, profile }, this.io);
      const proxy = proxyFor(resolved.url, this.io.env);
      const connection = { ...resolved, timeoutMs: resolveTimeout(timeout, this.io.env), ...(proxy ? { proxy } : {}) };
      this.resolved = { connection, client: clientFor(connection) };
    }
    return this.resolved;
  }
}
