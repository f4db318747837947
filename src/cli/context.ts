import type { Command } from 'commander';
import { clientFor, type KairosClient } from './api';
import { resolveConnection, type Connection } from './connection';
import type { CliIo } from './io';

/** What every command gets: the io, and the client built from the global options on first use. */
export class CommandContext {
  private resolved?: { connection: Connection; client: KairosClient };

  constructor(
    readonly io: CliIo,
    private readonly program: Command,
  ) {}

  get connection(): Connection {
    return this.resolve().connection;
  }

  get client(): KairosClient {
    return this.resolve().client;
  }

  /** Whether the last resolution happened (error messages name the URL only then). */
  get connected(): Connection | undefined {
    return this.resolved?.connection;
  }

  get json(): boolean {
    return Boolean(this.program.opts().json);
  }

  out(line = ''): void {
    this.io.stdout(`${line}\n`);
  }

  err(line: string): void {
    this.io.stderr(`${line}\n`);
  }

  private resolve() {
    if (!this.resolved) {
      const { url, apiKey, profile } = this.program.opts<{ url?: string; apiKey?: string; profile?: string }>();
      const connection = resolveConnection({ url, apiKey, profile }, this.io);
      this.resolved = { connection, client: clientFor(connection) };
    }
    return this.resolved;
  }
}
