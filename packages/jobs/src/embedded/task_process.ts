import { errorText } from '../job_failed_error.js';
import { loadJob } from '../plan/load_job.js';
import { runTaskAttempt } from '../commit/task_attempt.js';
import type { RunTaskMessage, TaskProcessMessage } from './messages.js';

/**
 * The child side of `tsflow job run`: runs the tasks its parent sends, one at a time, and
 * reports each outcome. It exits when the parent goes away, so no orphan keeps running.
 * @internal (started by `worker/task_process.mjs`)
 */
export function serveTaskProcess(): void {
  // The parent may already be gone (it finished while this process was starting).
  const send = (message: TaskProcessMessage) => {
    if (process.connected) process.send?.(message);
  };
  process.on('disconnect', () => process.exit(0));
  process.on('message', (message: RunTaskMessage) => {
    void runOne(message).then(send);
  });
  send({ type: 'ready' });
}

async function runOne({ modulePath, target, task, attemptId }: RunTaskMessage): Promise<TaskProcessMessage> {
  try {
    const job = await loadJob(modulePath);
    const outcome = await runTaskAttempt(job, target, task, attemptId);
    return { type: 'done', index: task.index, rows: outcome.rows, committed: outcome.committed };
  } catch (error) {
    return { type: 'failed', index: task.index, error: errorText(error) };
  }
}
