import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { parseShard, shardFromEnvironment } from './plan/shard.js';

const manifestPath = fileURLToPath(new URL('../../../examples/k8s/indexed-job.yaml', import.meta.url));

interface Container {
  image: string;
  workingDir: string;
  command: string[];
  volumeMounts: { name: string; mountPath: string }[];
}

describe('examples/k8s/indexed-job.yaml', () => {
  it('is an Indexed Job whose pods run one share each, and a commit Job over the same files', async () => {
    const docs = parseAllDocuments(await readFile(manifestPath, 'utf8')).map((doc) => {
      expect(doc.errors).toEqual([]);
      return doc.toJS() as {
        apiVersion: string;
        kind: string;
        spec: Record<string, unknown> & {
          template: { spec: { containers: Container[]; restartPolicy: string; volumes: unknown[] } };
        };
      };
    });
    expect(docs.map((doc) => [doc.apiVersion, doc.kind])).toEqual([
      ['batch/v1', 'Job'],
      ['batch/v1', 'Job'],
    ]);
    const [run, commit] = docs as [(typeof docs)[0], (typeof docs)[0]];
    expect(run.spec).toMatchObject({ completionMode: 'Indexed', completions: 4, parallelism: 4 });
    const shardContainer = run.spec.template.spec.containers[0]!;
    const commitContainer = commit.spec.template.spec.containers[0]!;
    const command = shardContainer.command;
    expect(command.slice(0, 5)).toEqual(['npx', 'tsflow', 'job', 'run', 'jobs/normalise.mjs']);
    // --shards equals the completion count, so JOB_COMPLETION_INDEX 0..completions-1 are all valid shards.
    const shards = Number(command[command.indexOf('--shards') + 1]);
    expect(shards).toBe(run.spec['completions']);
    for (let index = 0; index < shards; index++) {
      expect(shardFromEnvironment(shards, { JOB_COMPLETION_INDEX: String(index) })).toEqual(
        parseShard(`${index}/${shards}`),
      );
    }
    expect(commitContainer.command).toEqual(['npx', 'tsflow', 'job', 'commit', 'jobs/normalise.mjs']);
    // Same image, working directory and volume: every pod plans the same task list over the same files.
    expect(commitContainer.image).toBe(shardContainer.image);
    expect(commitContainer.workingDir).toBe(shardContainer.workingDir);
    expect(commitContainer.volumeMounts).toEqual(shardContainer.volumeMounts);
    expect(commit.spec.template.spec.volumes).toEqual(run.spec.template.spec.volumes);
    expect([run.spec.template.spec.restartPolicy, commit.spec.template.spec.restartPolicy]).toEqual(['Never', 'Never']);
  });
});
