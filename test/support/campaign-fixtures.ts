import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { DataSource } from 'typeorm';

// Tests reshape campaigns freely, including into invalid ones.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = Record<string, any>;

/** The example campaign of CAMPAIGNS.md (entry order.completed; listens to post.created, user.unsubscribed; coupon pool vip-20-off). */
export function spendAndPost(key = 'spend-and-post'): Json {
  const json = JSON.parse(readFileSync(path.join(__dirname, '../../examples/campaigns/spend-and-post.json'), 'utf8')) as Json;
  return { ...json, key };
}

/**
 * Makes a reward pool exist for activation checks. Goes straight to the
 * table (the pools API belongs to another suite); creates a minimal table
 * when the ledger migration is not there.
 */
export async function ensurePool(ds: DataSource, key: string, kind: 'coupon' | 'points' | 'credit'): Promise<void> {
  await ds.query(`create table if not exists reward_pools (key text primary key, kind text not null, definition jsonb not null)`);
  await ds.query(`insert into reward_pools (key, kind, definition) values ($1, $2, $3::jsonb) on conflict (key) do nothing`, [key, kind, JSON.stringify({ key, kind })]);
}

/** 10 points on entry (step `pts`); the journey then waits in `rewarded`, still running, until a `journey.close` event. */
export function cashbackCampaign(key = 'cashback'): Json {
  return {
    key,
    name: 'Cashback',
    entry: { on: 'order.completed' },
    initial: 'rewarded',
    states: {
      rewarded: { actions: { steps: [{ id: 'pts', type: 'points', amount: 10 }] }, transitions: [{ to: 'done', on: 'journey.close' }] },
      done: { end: true },
    },
  };
}

/** Users of level 2 and up enter on an order with an amount; 20 spent moves them to `rewarded`, which runs `actions` and ends. */
export function spendTwenty(key: string, actions: Json): Json {
  return {
    key,
    name: 'Spend 20',
    audience: 'user.level >= 2',
    entry: { on: 'order.completed', if: 'event.amount > 0' },
    initial: 'collecting',
    states: {
      collecting: { transitions: [{ to: 'rewarded', when: "sum('order.completed', 'amount') >= 20" }] },
      rewarded: { actions, end: true },
    },
  };
}

/**
 * Signup calls a CRM webhook, then waits for journey.close: with a receiver
 * that refuses (400, not retried) its step is held for an operator while the
 * journey keeps running.
 */
export function crmCallCampaign(key: string, url: string): Json {
  return {
    key,
    name: 'Tell the CRM',
    entry: { on: 'signup.completed' },
    initial: 'calling',
    states: { calling: { actions: { steps: [{ id: 'notify-crm', type: 'webhook', url }] }, transitions: [{ to: 'done', on: 'journey.close' }] }, done: { end: true } },
  };
}
