export {
  defineJob,
  isJobDefinition,
  type JobDefinition,
  type JobSpec,
  type JobTask,
  type JobOutput,
  type JobPipeline,
} from './define_job.js';
export { JobFailedError } from './job_failed_error.js';
export { loadJob } from './plan/load_job.js';
export { planJob, describeTask, type JobPlan } from './plan/task_plan.js';
export { parseShard, shardFromEnvironment, shardTasks, type Shard } from './plan/shard.js';
export { partFileName, SUCCESS_FILE, TEMPORARY_DIR } from './commit/output_layout.js';
export { runTaskAttempt, newAttemptId, type TaskOutcome, type AttemptTarget } from './commit/task_attempt.js';
export { commitJob, readManifest, type SuccessManifest, type CommitTarget } from './commit/job_commit.js';
export { prepareOutput } from './commit/prepare_output.js';
export { runJob, commitJobModule, type RunJobOptions, type RunJobResult } from './embedded/run_job.js';
export { serveTaskProcess } from './embedded/task_process.js';
export { formatProgress, type JobProgress } from './progress.js';
export { jobRunCommand, jobCommitCommand, type JobRunCommandOptions } from './commands/local_commands.js';
export { JobProgressDisplay, type JobCommandIO } from './commands/command_io.js';
export { jobSubmitCommand, jobWorkerCommand, jobStatusCommand, jobWaitCommand } from './commands/redis_commands.js';
export { submitJob, type SubmitJobOptions } from './bullmq/submit_job.js';
export { startJobWorker, type JobWorker, type JobWorkerOptions } from './bullmq/job_worker.js';
export { jobStatus, type JobStatusReport, type JobStatusOptions } from './bullmq/job_status.js';
export { waitForJob, type WaitForJobOptions } from './bullmq/wait_for_job.js';
export { DEFAULT_QUEUE } from './bullmq/job_records.js';
export { requireRedis, checkRedisUrl } from './redis/redis_connection.js';
export { fromRedisStream } from './streams/from_redis_stream.js';
export { RedisStreamSource, type RedisStreamOptions, type RedisStreamEntry } from './streams/redis_stream_source.js';
export { writeRolling, type WriteRollingOptions, type WriteRollingResult } from './streams/write_rolling.js';
export { rollingFileName } from './streams/rolling_files.js';
/** `Dataset` of @tsflow/data, with `Dataset.fromRedisStream` added by this package. */
export { Dataset } from '@tsflow/data';
export { LocalRedisServer, freePort } from './redis/local_redis_server.js';
