import type { JobTask } from '../define_job.js';
import type { AttemptTarget } from '../commit/task_attempt.js';

/** Parent → task process: run one attempt of a task. */
export interface RunTaskMessage {
  readonly type: 'task';
  readonly modulePath: string;
  readonly target: AttemptTarget;
  readonly task: JobTask;
  readonly attemptId: string;
}

/** Task process → parent. */
export type TaskProcessMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'done'; readonly index: number; readonly rows: number; readonly committed: boolean }
  | { readonly type: 'failed'; readonly index: number; readonly error: string };
