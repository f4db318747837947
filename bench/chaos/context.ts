import type { Client } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import type { InProcessKairos } from '../support/in-process-kairos';
import type { TcpProxy } from '../../test/support/tcp-proxy';
import type { WorkerSupervisor } from './worker-supervisor';

/** What every scenario gets: the API, the worker it may kill, the proxy it may cut, a direct database for checking. */
export interface ChaosContext {
  kairos: InProcessKairos;
  worker: WorkerSupervisor;
  proxy: TcpProxy;
  /** Straight to PostgreSQL (not through the proxy): the checks must see through an outage. */
  ds: DataSource;
  client: Client;
  /** Unique per run: campaign keys and event ids never meet a previous run's journeys on the same Temporal server. */
  tag: string;
  campaignKey(scenario: string): string;
}

export const random = (min: number, max: number) => min + Math.random() * (max - min);
