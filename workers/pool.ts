/**
 * A pool of comlink workers: a fixed number of workers, a FIFO queue of tasks, transferables, cancellation through
 * AbortSignal (a queued task is dropped; a running task's worker is terminated and replaced) and progress events.
 * A task that fails, or whose worker crashes, rejects alone: the pool and the other tasks go on.
 */
import { wrap, releaseProxy, type Endpoint, type Remote } from 'comlink';

/** What the pool needs of a worker: a message endpoint, a way to stop it, and word when it dies. */
export interface PoolWorker {
  endpoint: Endpoint;
  terminate(): void;
  /** Calls `listener` when the worker dies unexpectedly (an uncaught error, out of memory). */
  onCrash(listener: (reason: string) => void): void;
}

/** Adapts a DOM Worker. */
export function domPoolWorker(worker: Worker): PoolWorker {
  return {
    endpoint: worker,
    terminate: () => worker.terminate(),
    onCrash: (listener) => {
      worker.addEventListener('error', (event) => {
        event.preventDefault();
        listener(event.message || 'the worker stopped unexpectedly');
      });
      worker.addEventListener('messageerror', () => listener('a message could not be deserialized'));
    },
  };
}

/**
 * Workers for the machine: one per core, leaving one core to the UI when there are more than two. The page's main
 * thread is nearly idle while files are analysed (it only posts bytes and renders progress), so on one or two cores
 * leaving a core to it would idle half the machine.
 */
export function defaultPoolSize(hardwareConcurrency = globalThis.navigator?.hardwareConcurrency): number {
  const cores = Math.max(1, Math.floor(hardwareConcurrency || 2));
  return cores <= 2 ? cores : cores - 1;
}

export class AbortError extends Error {
  constructor(message = 'cancelled') {
    super(message);
    this.name = 'AbortError';
  }
}

export interface PoolStatus {
  size: number;
  running: number;
  queued: number;
  done: number;
  failed: number;
  cancelled: number;
}

interface Slot<Api> {
  worker: PoolWorker;
  api: Remote<Api>;
  busy: boolean;
  /** Rejects the running task (crash or abort). */
  interrupt: ((error: Error) => void) | null;
}

interface Task<Api> {
  run: (api: Remote<Api>) => Promise<unknown>;
  signal?: AbortSignal;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  onAbort?: () => void;
}

export class WorkerPool<Api> {
  private readonly slots: Slot<Api>[] = [];
  private readonly queue: Task<Api>[] = [];
  private readonly listeners = new Set<(status: PoolStatus) => void>();
  private counts = { done: 0, failed: 0, cancelled: 0 };
  private closed = false;

  constructor(
    private readonly createWorker: () => PoolWorker,
    readonly size: number = defaultPoolSize(),
  ) {
    if (!(size >= 1)) throw new RangeError(`pool size must be at least 1, got ${size}`);
  }

  /**
   * Queues `run`, which gets a free worker's API; resolves with its result. With `signal`, aborting rejects with
   * AbortError: a queued task never runs, a running one has its worker terminated (and replaced).
   */
  run<T>(run: (api: Remote<Api>) => Promise<T>, options: { signal?: AbortSignal } = {}): Promise<T> {
    if (this.closed) return Promise.reject(new Error('the worker pool is closed'));
    const { signal } = options;
    if (signal?.aborted) {
      this.counts.cancelled++;
      this.emit();
      return Promise.reject(new AbortError());
    }
    return new Promise<T>((resolve, reject) => {
      const task: Task<Api> = { run, signal, resolve: resolve as (v: unknown) => void, reject };
      if (signal) {
        task.onAbort = () => {
          const index = this.queue.indexOf(task);
          if (index >= 0) {
            this.queue.splice(index, 1);
            this.counts.cancelled++;
            reject(new AbortError());
            this.emit();
          }
        };
        signal.addEventListener('abort', task.onAbort, { once: true });
      }
      this.queue.push(task);
      this.pump();
    });
  }

  /** Calls `listener` with the pool's counts whenever they change; returns a function that unsubscribes. */
  subscribe(listener: (status: PoolStatus) => void): () => void {
    this.listeners.add(listener);
    listener(this.status());
    return () => this.listeners.delete(listener);
  }

  status(): PoolStatus {
    return {
      size: this.size,
      running: this.slots.filter((s) => s.busy).length,
      queued: this.queue.length,
      ...this.counts,
    };
  }

  /** Stops every worker; queued tasks reject. */
  close(): void {
    this.closed = true;
    for (const task of this.queue.splice(0)) task.reject(new AbortError('the worker pool was closed'));
    for (const slot of this.slots) {
      slot.interrupt?.(new AbortError('the worker pool was closed'));
      this.stop(slot);
    }
    this.slots.length = 0;
  }

  private emit(): void {
    const status = this.status();
    for (const listener of this.listeners) listener(status);
  }

  private newSlot(): Slot<Api> {
    const worker = this.createWorker();
    const slot: Slot<Api> = { worker, api: wrap<Api>(worker.endpoint), busy: false, interrupt: null };
    worker.onCrash((reason) => {
      slot.interrupt?.(new Error(`the analysis worker crashed: ${reason}`));
      this.replace(slot);
    });
    return slot;
  }

  private stop(slot: Slot<Api>): void {
    slot.api[releaseProxy]();
    slot.worker.terminate();
  }

  private replace(slot: Slot<Api>): void {
    const index = this.slots.indexOf(slot);
    if (index < 0) return;
    this.stop(slot);
    this.slots.splice(index, 1);
  }

  private pump(): void {
    while (this.queue.length > 0) {
      let slot = this.slots.find((s) => !s.busy);
      if (!slot) {
        if (this.slots.length >= this.size) break;
        slot = this.newSlot();
        this.slots.push(slot);
      }
      this.start(slot, this.queue.shift()!);
    }
    this.emit();
  }

  private start(slot: Slot<Api>, task: Task<Api>): void {
    slot.busy = true;
    const interrupted = new Promise<never>((_, reject) => {
      slot.interrupt = reject;
    });
    const onAbort = () => {
      slot.interrupt?.(new AbortError());
      this.replace(slot);
    };
    if (task.onAbort) task.signal!.removeEventListener('abort', task.onAbort);
    task.signal?.addEventListener('abort', onAbort, { once: true });

    Promise.race([task.run(slot.api), interrupted])
      .then(
        (value) => {
          this.counts.done++;
          task.resolve(value);
        },
        (error: unknown) => {
          if (error instanceof AbortError) this.counts.cancelled++;
          else this.counts.failed++;
          task.reject(error);
        },
      )
      .finally(() => {
        task.signal?.removeEventListener('abort', onAbort);
        slot.busy = false;
        slot.interrupt = null;
        if (!this.closed) this.pump();
      });
  }
}
