import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DataLossError,
  Graph,
  InvalidArgumentError,
  NotFoundError,
  Session,
  Variable,
  constant,
  globalVariablesInitializer,
  matMul,
  ndarray,
  placeholder,
  reduceMean,
  square,
  sub,
} from '@tsflow/core';
import { AdamOptimizer } from '../optimizers/adam.js';
import { getOrCreateGlobalStep } from '../optimizers/global_step.js';
import { Saver } from './saver.js';
import { latestCheckpoint } from './checkpoint_state.js';

/**
 * An independent reader written from the safetensors spec (not the package's decoder): the
 * 8-byte little-endian header size, the JSON header, then each tensor's little-endian bytes.
 */
function parseSafetensorsIndependently(bytes: Buffer): {
  metadata: Record<string, string>;
  tensors: Record<string, { dtype: string; shape: number[]; values: number[] }>;
} {
  const headerSize = Number(bytes.readBigUInt64LE(0));
  // biome-ignore lint/suspicious/noExplicitAny: an untyped JSON header, read the way another implementation would
  const header = JSON.parse(bytes.toString('utf8', 8, 8 + headerSize)) as Record<string, any>;
  const base = 8 + headerSize;
  const tensors: Record<string, { dtype: string; shape: number[]; values: number[] }> = {};
  for (const [name, info] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const [begin, end] = info.data_offsets as [number, number];
    const values: number[] = [];
    for (let at = base + begin; at < base + end; at += info.dtype === 'BOOL' ? 1 : 4) {
      values.push(
        info.dtype === 'F32'
          ? bytes.readFloatLE(at)
          : info.dtype === 'I32'
            ? bytes.readInt32LE(at)
            : bytes.readUInt8(at),
      );
    }
    tensors[name] = { dtype: info.dtype, shape: info.shape, values };
  }
  return { metadata: header['__metadata__'] ?? {}, tensors };
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tsflow-saver-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function regression() {
  const graph = new Graph();
  return graph.asDefault(() => {
    const x = placeholder('float32', [null, 2], { name: 'x' });
    const w = new Variable(constant([[0.5], [-1.5]]), { name: 'dense/kernel' });
    const flag = new Variable(ndarray([true, false], { dtype: 'bool' }), { name: 'flags', trainable: false });
    const step = getOrCreateGlobalStep();
    const loss = reduceMean(square(sub(matMul(x, w), 1)));
    const trainOp = new AdamOptimizer(0.1).minimize(loss, { globalStep: step });
    return { graph, x, w, flag, step, trainOp, init: globalVariablesInitializer() };
  });
}

async function trained() {
  const model = regression();
  const session = new Session(model.graph);
  await session.run(model.init);
  for (let i = 0; i < 3; i++)
    await session.run(model.trainOp, {
      x: [
        [1, 2],
        [3, 4],
      ],
    });
  return { model, session };
}

describe('Saver', () => {
  it('writes one safetensors file that an independent parser reads: variables, Adam slots, global step', async () => {
    const { model, session } = await trained();
    const path = await new Saver().save(session, join(dir, 'model'), { globalStep: model.step });
    expect(path).toBe(join(dir, 'model-3'));
    const parsed = parseSafetensorsIndependently(await readFile(`${path}.safetensors`));
    expect(Object.keys(parsed.tensors).sort()).toEqual(
      [
        'beta1_power',
        'beta2_power',
        'dense/kernel',
        'dense/kernel/Adam',
        'dense/kernel/Adam_1',
        'flags',
        'global_step',
      ].sort(),
    );
    expect(parsed.metadata).toEqual({ global_step: '3' });
    const kernel = (await session.run(model.w)).data;
    expect(parsed.tensors['dense/kernel']).toEqual({ dtype: 'F32', shape: [2, 1], values: [...kernel] });
    expect(parsed.tensors['global_step']).toEqual({ dtype: 'I32', shape: [], values: [3] });
    expect(parsed.tensors['flags']).toEqual({ dtype: 'BOOL', shape: [2], values: [1, 0] });
  });

  it("writes TF's text state file and keeps only maxToKeep checkpoints, deleting the oldest last", async () => {
    const { session } = await trained();
    const saver = new Saver({ maxToKeep: 2 });
    for (const step of [10, 20, 30]) await saver.save(session, join(dir, 'ckpt'), { globalStep: step });
    expect(await readFile(join(dir, 'checkpoint'), 'utf8')).toBe(
      'model_checkpoint_path: "ckpt-30"\nall_model_checkpoint_paths: "ckpt-20"\nall_model_checkpoint_paths: "ckpt-30"\n',
    );
    expect((await readdir(dir)).sort()).toEqual(['checkpoint', 'ckpt-20.safetensors', 'ckpt-30.safetensors']);
    expect(latestCheckpoint(dir)).toBe(join(dir, 'ckpt-30'));
    // A new process (a new Saver) continues the same rotation from the state file.
    await new Saver({ maxToKeep: 2 }).save(session, join(dir, 'ckpt'), { globalStep: 40 });
    expect((await readdir(dir)).sort()).toEqual(['checkpoint', 'ckpt-30.safetensors', 'ckpt-40.safetensors']);
  });

  it('writes the data before the state file and deletes old checkpoints only after it', async () => {
    const { session } = await trained();
    const saver = new Saver({ maxToKeep: 1 });
    await saver.save(session, join(dir, 'ckpt'), { globalStep: 10 });
    // A state file that cannot be replaced (a non-empty folder in its place) fails the next save.
    await rm(join(dir, 'checkpoint'));
    await mkdir(join(dir, 'checkpoint', 'blocker'), { recursive: true });
    await expect(saver.save(session, join(dir, 'ckpt'), { globalStep: 20 })).rejects.toThrow();
    // The new data was complete before the state file was touched; the old checkpoint survives.
    expect((await readdir(dir)).sort()).toEqual(['checkpoint', 'ckpt-10.safetensors', 'ckpt-20.safetensors']);
  });

  it('restores every variable, slot and the global step into a fresh session', async () => {
    const { model, session } = await trained();
    const saver = new Saver();
    const path = await saver.save(session, join(dir, 'model'), { globalStep: 3, metadata: { note: 'hi' } });
    const before = await session.run([model.w, model.step]);
    const fresh = new Session(model.graph);
    await fresh.run(model.init);
    expect(await saver.restore(fresh, path)).toEqual({ note: 'hi', global_step: '3' });
    const after = await fresh.run([model.w, model.step]);
    expect([...after[0].data]).toEqual([...before[0].data]);
    expect(after[1].item()).toBe(3);
    // The restored optimizer state continues identically.
    await session.run(model.trainOp, {
      x: [
        [1, 2],
        [3, 4],
      ],
    });
    await fresh.run(model.trainOp, {
      x: [
        [1, 2],
        [3, 4],
      ],
    });
    expect([...(await fresh.run(model.w)).data]).toEqual([...(await session.run(model.w)).data]);
  });

  describe('restore is all or nothing', () => {
    async function setup() {
      const { model, session } = await trained();
      const saver = new Saver();
      const path = await saver.save(session, join(dir, 'model'));
      const fresh = new Session(model.graph);
      await fresh.run(model.init);
      const untouched = [...(await fresh.run(model.w)).data];
      const expectUnchanged = async () => expect([...(await fresh.run(model.w)).data]).toEqual(untouched);
      return { model, saver, path, fresh, expectUnchanged };
    }

    it('rejects a corrupt header and assigns nothing', async () => {
      const { saver, path, fresh, expectUnchanged } = await setup();
      const bytes = await readFile(`${path}.safetensors`);
      const header = bytes.toString('latin1');
      const corrupted = Buffer.from(header.replace('"dtype":"F32"', '"dtype":"F99"'), 'latin1');
      await writeFile(`${path}.safetensors`, corrupted);
      await expect(saver.restore(fresh, path)).rejects.toThrow(DataLossError);
      await expect(saver.restore(fresh, path)).rejects.toThrow(/unknown dtype "F99"/);
      await expectUnchanged();
    });

    it('rejects a truncated file and assigns nothing', async () => {
      const { saver, path, fresh, expectUnchanged } = await setup();
      const bytes = await readFile(`${path}.safetensors`);
      await writeFile(`${path}.safetensors`, bytes.subarray(0, bytes.length - 3));
      await expect(saver.restore(fresh, path)).rejects.toThrow(/truncated file/);
      await expectUnchanged();
    });

    it('names a variable missing from the file (NotFoundError) and assigns nothing', async () => {
      const { model, path, fresh, expectUnchanged } = await setup();
      const extra = model.graph.asDefault(() => new Variable(constant([1, 2, 3]), { name: 'late' }));
      await fresh.run(extra.initializer);
      const saver = new Saver();
      await expect(saver.restore(fresh, path)).rejects.toThrow(NotFoundError);
      await expect(saver.restore(fresh, path)).rejects.toThrow(
        /^Key late not found in checkpoint '.*model\.safetensors'$/,
      );
      await expectUnchanged();
    });

    it('names a shape or dtype mismatch (InvalidArgumentError) and assigns nothing', async () => {
      const { model, session } = await trained();
      const other = new Graph();
      const twin = other.asDefault(() => ({
        w: new Variable(constant([[1, 2]]), { name: 'dense/kernel' }),
        flags: new Variable(constant([0, 0]), { name: 'flags' }),
      }));
      const path = await new Saver({ varList: { 'dense/kernel': model.w, flags: model.flag } }).save(
        session,
        join(dir, 'm'),
      );
      const s2 = new Session(other);
      await s2.run(other.asDefault(() => globalVariablesInitializer()));
      await expect(new Saver({ varList: [twin.w] }).restore(s2, path)).rejects.toThrow(InvalidArgumentError);
      await expect(new Saver({ varList: [twin.w] }).restore(s2, path)).rejects.toThrow(
        /^Restoring 'dense\/kernel' from '.*m\.safetensors': shape \[2,1\] in the checkpoint does not match the variable's \[1,2\]$/,
      );
      await expect(new Saver({ varList: [twin.flags] }).restore(s2, path)).rejects.toThrow(
        /dtype BOOL in the checkpoint does not match the variable's F32 \(float32\)/,
      );
      expect([...(await s2.run(twin.w)).data]).toEqual([1, 2]);
    });

    it('names a missing checkpoint file', async () => {
      const { saver, fresh } = await setup();
      await expect(saver.restore(fresh, join(dir, 'nope'))).rejects.toThrow(
        /^Checkpoint '.*nope\.safetensors' does not exist$/,
      );
    });
  });

  it('validates its options', () => {
    expect(() => new Saver({ maxToKeep: -1 })).toThrow(/maxToKeep must be a non-negative integer, got -1/);
    expect(() => new Saver({ varList: [1 as never] })).toThrow(/varList\["0"\] is not a Variable/);
    expect(latestCheckpoint(join(dir, 'empty'))).toBeNull();
  });
});
