/**
 * What every part of `deno task bench:triggers` shares: the `bench`
 * webhook (Standard Webhooks, payload `{ n }`), its secret, the signed
 * request a client sends, and a fresh PostgreSQL database holding both the
 * triggers and the workers tables, made from the plugins' schema fragments.
 *
 * @module
 */
import pg from "pg";
import {
  defineWebhook,
  signStandardWebhook,
  standardWebhooks,
  type WebhookDefinition,
} from "@netscript/plugin-triggers-core";
import type { JobDefinition } from "@netscript/plugin-workers-core";
import { z } from "zod";
import { createPluginTables, pluginFragment } from "../plugin_tables.ts";
import { POSTGRES_URL } from "../streams/stores.ts";

/** The variable the webhook's secret is read from. */
export const BENCH_SECRET_ENV = "BENCH_WEBHOOK_SECRET";

/** The webhook's secret (a throw-away Standard Webhooks key). */
export const BENCH_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

/** The payload of every benchmark webhook. */
export const BenchPayload = z.object({ n: z.number().int() });

/** Reads the webhook's secret, for `createTriggersService({ env })`. */
export const benchSecrets = {
  get: (name: string) => name === BENCH_SECRET_ENV ? BENCH_SECRET : undefined,
};

/**
 * The `bench` webhook: verified with Standard Webhooks, dispatched to `job` with `{ n }`.
 *
 * @param job The job each delivery starts.
 * @returns The webhook.
 */
export function benchHook(job: JobDefinition<typeof BenchPayload>): WebhookDefinition {
  return defineWebhook({
    name: "bench",
    verify: standardWebhooks({ secretEnv: BENCH_SECRET_ENV }),
    input: BenchPayload,
    dispatch: (event) => ({ job, input: { n: event.payload.n } }),
  });
}

/**
 * A signed `POST /hooks/bench` with a new delivery id.
 *
 * @param base The server's URL.
 * @param n The payload's number.
 * @returns The request.
 */
export async function signedWebhook(base: string, n: number): Promise<Request> {
  const body = JSON.stringify({ n });
  const headers = await signStandardWebhook({
    secret: BENCH_SECRET,
    id: `msg_${crypto.randomUUID()}`,
    timestamp: new Date(),
    body,
  });
  return new Request(`${base}/hooks/bench`, {
    method: "POST",
    body,
    headers: { ...headers, "content-type": "application/json" },
  });
}

/**
 * Creates a database with the triggers and workers tables; dispose drops it.
 *
 * @returns Its URL, and `[Symbol.asyncDispose]`.
 */
export async function openBenchDatabase(): Promise<{ url: string } & AsyncDisposable> {
  const name = `netscript_bench_triggers_${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
  await _admin(`CREATE DATABASE "${name}"`);
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  const dispose = () => _admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  try {
    await createPluginTables(url.href, [pluginFragment("triggers"), pluginFragment("workers")]);
  } catch (error) {
    await dispose();
    throw error;
  }
  return { url: url.href, [Symbol.asyncDispose]: dispose };
}

async function _admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
