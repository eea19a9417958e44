import { describe, expect, it } from 'vitest';
import { expose, transfer } from 'comlink';
import { AbortError, WorkerPool, defaultPoolSize, type PoolWorker } from './pool.ts';

/** A worker API run in-process behind a real MessageChannel, so comlink and transfers are exercised for real. */
const api = {
  async double(x: number) {
    return 2 * x;
  },
  async fail(message: string) {
    throw new Error(message);
  },
  /** Never answers until `release` is called: stands for a long analysis. */
  async hang() {
    await new Promise(() => {});
  },
  async sum(samples: Float32Array) {
    return samples.reduce((a, b) => a + b, 0);
  },
};
type Api = typeof api;

function channelWorkers() {
  const made: { terminated: boolean; crash: (reason: string) => void }[] = [];
  const create = (): PoolWorker => {
    const { port1, port2 } = new MessageChannel();
    expose(api, port2);
    const record = { terminated: false, crash: (_: string) => {} };
    made.push(record);
    return {
      endpoint: port1 as unknown as PoolWorker['endpoint'],
      terminate: () => {
        record.terminated = true;
        port1.close();
        port2.close();
      },
      onCrash: (listener) => {
        record.crash = listener;
      },
    };
  };
  return { made, create };
}

describe('defaultPoolSize', () => {
  it('uses every core of a one- or two-core machine and leaves one core to the UI on larger ones', () => {
    expect(defaultPoolSize(8)).toBe(7);
    expect(defaultPoolSize(3)).toBe(2);
    expect(defaultPoolSize(2)).toBe(2);
    expect(defaultPoolSize(1)).toBe(1);
  });

  it('assumes two cores when the browser does not say', () => {
    expect(defaultPoolSize(undefined)).toBe(2);
    expect(defaultPoolSize(0)).toBe(2);
  });
});

describe('WorkerPool', () => {
  it('runs tasks on at most `size` workers and returns their results', async () => {
    const { made, create } = channelWorkers();
    const pool = new WorkerPool<Api>(create, 2);
    const results = await Promise.all([1, 2, 3, 4, 5].map((x) => pool.run((w) => w.double(x))));
    expect(results).toEqual([2, 4, 6, 8, 10]);
    expect(made.length).toBe(2);
    expect(pool.status()).toMatchObject({ done: 5, failed: 0, running: 0, queued: 0 });
    pool.close();
  });

  it('transfers buffers instead of copying them', async () => {
    const { create } = channelWorkers();
    const pool = new WorkerPool<Api>(create, 1);
    const samples = new Float32Array([0.5, 0.25, 0.25]);
    const total = await pool.run((w) => w.sum(transfer(samples, [samples.buffer])));
    expect(total).toBe(1);
    expect(samples.buffer.byteLength).toBe(0); // detached: it was moved to the worker
    pool.close();
  });

  it("keeps going after one task's error", async () => {
    const { create } = channelWorkers();
    const pool = new WorkerPool<Api>(create, 1);
    const outcomes = await Promise.allSettled([
      pool.run((w) => w.double(1)),
      pool.run((w) => w.fail('bad file')),
      pool.run((w) => w.double(3)),
    ]);
    expect(outcomes[0]).toEqual({ status: 'fulfilled', value: 2 });
    expect(outcomes[1].status).toBe('rejected');
    expect((outcomes[1] as PromiseRejectedResult).reason.message).toContain('bad file');
    expect(outcomes[2]).toEqual({ status: 'fulfilled', value: 6 });
    expect(pool.status()).toMatchObject({ done: 2, failed: 1 });
    pool.close();
  });

  it('cancels a running task by terminating and replacing its worker, and drops queued ones', async () => {
    const { made, create } = channelWorkers();
    const pool = new WorkerPool<Api>(create, 1);
    const controller = new AbortController();
    const running = pool.run((w) => w.hang(), { signal: controller.signal });
    const queued = pool.run((w) => w.double(2), { signal: controller.signal });
    await new Promise((r) => setTimeout(r, 10));
    controller.abort();
    await expect(running).rejects.toBeInstanceOf(AbortError);
    await expect(queued).rejects.toBeInstanceOf(AbortError);
    expect(made[0].terminated).toBe(true);
    // The pool still works, on a fresh worker.
    expect(await pool.run((w) => w.double(21))).toBe(42);
    expect(made.length).toBe(2);
    expect(pool.status()).toMatchObject({ cancelled: 2, done: 1 });
    pool.close();
  });

  it('rejects the task of a crashed worker and carries on with a new one', async () => {
    const { made, create } = channelWorkers();
    const pool = new WorkerPool<Api>(create, 1);
    const doomed = pool.run((w) => w.hang());
    await new Promise((r) => setTimeout(r, 10));
    made[0].crash('out of memory');
    await expect(doomed).rejects.toThrow('out of memory');
    expect(await pool.run((w) => w.double(5))).toBe(10);
    pool.close();
  });

  it('reports its status to subscribers', async () => {
    const { create } = channelWorkers();
    const pool = new WorkerPool<Api>(create, 1);
    const seen: number[] = [];
    pool.subscribe((s) => seen.push(s.queued + s.running));
    await Promise.all([pool.run((w) => w.double(1)), pool.run((w) => w.double(2))]);
    expect(Math.max(...seen)).toBe(2);
    expect(seen.at(-1)).toBe(0);
    pool.close();
  });
});
