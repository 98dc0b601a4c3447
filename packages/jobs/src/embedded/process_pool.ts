import { type ChildProcess, fork } from 'node:child_process';
import type { JobTask } from '../define_job.js';
import { JobFailedError } from '../job_failed_error.js';
import { type AttemptTarget, newAttemptId } from '../commit/task_attempt.js';
import type { RunTaskMessage, TaskProcessMessage } from './messages.js';

/** The plain-JS child entry; the same relative path from src/embedded and dist/embedded. */
const TASK_PROCESS_ENTRY = new URL('../../worker/task_process.mjs', import.meta.url);

/** What the pool reports after each finished task. */
export interface TaskDone {
  readonly task: JobTask;
  readonly rows: number;
  readonly committed: boolean;
  /** Which worker process ran it (1-based, in spawn order). */
  readonly worker: number;
}

export interface ProcessPoolOptions {
  readonly jobName: string;
  readonly modulePath: string;
  readonly target: AttemptTarget;
  readonly workers: number;
  readonly maxAttempts: number;
  readonly onTaskDone: (done: TaskDone) => void;
  /** First retry delay in ms (doubles per attempt; default 200). */
  readonly retryDelayMs?: number;
}

interface Worker {
  readonly id: number;
  readonly child: ChildProcess;
  task?: JobTask;
}

/**
 * Runs tasks on N child processes of this machine, handing each idle process the next task.
 * A task that throws, or whose process dies (killed, out of memory), is retried on another
 * process after a backoff, up to `maxAttempts`; then the whole run fails naming the task.
 */
export class ProcessPool {
  private readonly queue: JobTask[] = [];
  private readonly attempts = new Map<number, number>();
  private readonly workers = new Set<Worker>();
  private readonly idle: Worker[] = [];
  private spawned = 0;
  private remaining = 0;
  private waitingRetries = 0;
  private settle?: { resolve: () => void; reject: (error: unknown) => void };

  constructor(private readonly options: ProcessPoolOptions) {}

  /** Runs every task; resolves when all are done, rejects with JobFailedError on a poison task. */
  run(tasks: readonly JobTask[]): Promise<void> {
    if (tasks.length === 0) return Promise.resolve();
    this.queue.push(...tasks);
    this.remaining = tasks.length;
    const done = new Promise<void>((resolve, reject) => {
      this.settle = { resolve, reject };
    });
    for (let i = 0; i < Math.min(this.options.workers, tasks.length); i++) this.spawn();
    return done;
  }

  private spawn(): void {
    // Respawns replace processes that died; a module that kills every process stops the run.
    if (this.spawned >= this.options.workers + this.remaining * this.options.maxAttempts) {
      this.fail(new Error(`job '${this.options.jobName}': worker processes keep dying (${this.spawned} started)`));
      return;
    }
    const child = fork(TASK_PROCESS_ENTRY, [], {
      execArgv: [],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      serialization: 'advanced',
    });
    const worker: Worker = { id: ++this.spawned, child };
    this.workers.add(worker);
    child.on('message', (message: TaskProcessMessage) => this.onMessage(worker, message));
    child.on('exit', (code, signal) => this.onExit(worker, signal ?? `exit code ${code}`));
    child.on('error', () => undefined); // followed by 'exit'
  }

  private onMessage(worker: Worker, message: TaskProcessMessage): void {
    if (message.type !== 'ready') {
      const task = worker.task!;
      worker.task = undefined;
      if (message.type === 'done') {
        this.remaining--;
        this.options.onTaskDone({ task, rows: message.rows, committed: message.committed, worker: worker.id });
      } else this.retryOrFail(task, message.error);
    }
    this.dispatch(worker);
  }

  private onExit(worker: Worker, reason: string): void {
    this.workers.delete(worker);
    const idleAt = this.idle.indexOf(worker);
    if (idleAt >= 0) this.idle.splice(idleAt, 1);
    if (this.settle === undefined) return;
    const task = worker.task;
    if (task !== undefined) this.retryOrFail(task, `its worker process (pid ${worker.child.pid}) died: ${reason}`);
    if (this.settle !== undefined && this.remaining > 0) this.spawn();
  }

  private dispatch(worker: Worker): void {
    if (this.settle === undefined) return;
    const task = this.queue.shift();
    if (task === undefined) {
      this.idle.push(worker);
      if (this.remaining === 0 && this.waitingRetries === 0) this.finish();
      return;
    }
    worker.task = task;
    const message: RunTaskMessage = {
      type: 'task',
      modulePath: this.options.modulePath,
      target: this.options.target,
      task,
      attemptId: newAttemptId(),
    };
    worker.child.send(message);
  }

  private retryOrFail(task: JobTask, reason: string): void {
    const attempts = (this.attempts.get(task.index) ?? 0) + 1;
    this.attempts.set(task.index, attempts);
    if (attempts >= this.options.maxAttempts) {
      this.fail(new JobFailedError(this.options.jobName, task, attempts, reason));
      return;
    }
    this.waitingRetries++;
    const delay = (this.options.retryDelayMs ?? 200) * 2 ** (attempts - 1);
    setTimeout(() => {
      this.waitingRetries--;
      this.queue.push(task);
      const worker = this.idle.shift();
      if (worker !== undefined) this.dispatch(worker);
    }, delay);
  }

  private finish(): void {
    const settle = this.settle;
    this.settle = undefined;
    void this.stopAll().then(() => settle?.resolve());
  }

  private fail(error: unknown): void {
    const settle = this.settle;
    this.settle = undefined;
    void this.stopAll().then(() => settle?.reject(error));
  }

  /** Ends every worker process and resolves once all have exited: a run leaves none behind. */
  private async stopAll(): Promise<void> {
    const exits: Promise<unknown>[] = [];
    for (const worker of this.workers) {
      const { child } = worker;
      if (child.exitCode !== null || child.signalCode !== null) continue;
      exits.push(new Promise((resolve) => child.once('exit', resolve)));
      if (child.connected) child.disconnect();
      if (worker.task !== undefined) child.kill('SIGKILL');
    }
    await Promise.all(exits);
  }
}
