import { describe, expect, it } from 'vitest';
import { getGradient, registeredGradientOpTypes } from './gradients/gradient_registry.js';
import {
  NO_GRADIENT as NO_GRADIENT_BY_TYPE,
  NOT_DIFFERENTIABLE as NOT_DIFFERENTIABLE_BY_TYPE,
} from './gradients/no_gradient.js';
import { opRows, opsTableMarkdown } from './test_support/ops_table.js';

const NO_GRADIENT: Readonly<Record<string, string | undefined>> = NO_GRADIENT_BY_TYPE;
const NOT_DIFFERENTIABLE: Readonly<Record<string, string | undefined>> = NOT_DIFFERENTIABLE_BY_TYPE;

const rows = await opRows();
const byType = new Map(rows.map((r) => [r.opType, r]));

describe('registry completeness', () => {
  it('covers every op type of both registries', () => {
    expect(rows.length).toBeGreaterThan(90);
    for (const opType of registeredGradientOpTypes()) expect(byType.has(opType), opType).toBe(true);
  });

  it('gives every op type one file that builds it and one cpu kernel file', () => {
    const unclear = rows
      .filter((r) => r.forward.length !== 1 || r.cpu.length !== 1)
      .map((r) => `${r.opType}: forward ${r.forward.join(',') || '-'}, cpu ${r.cpu.join(',') || '-'}`);
    expect(unclear).toEqual([]);
  });

  it('gives every op type a gradient, or a stated reason for having none', () => {
    const missing = rows.filter((r) => {
      const fn = getGradient(r.opType);
      if (fn === null) return NOT_DIFFERENTIABLE[r.opType] === undefined;
      if (fn === undefined) return NO_GRADIENT[r.opType] === undefined;
      return r.gradient.length !== 1 || r.opType in NOT_DIFFERENTIABLE || r.opType in NO_GRADIENT;
    });
    expect(missing.map((r) => r.opType)).toEqual([]);
    // No stale reasons: each one names an op type that exists and really has no gradient function.
    for (const opType of Object.keys(NO_GRADIENT)) expect([opType, getGradient(opType)]).toEqual([opType, undefined]);
    for (const opType of Object.keys(NOT_DIFFERENTIABLE)) expect([opType, getGradient(opType)]).toEqual([opType, null]);
    for (const opType of [...Object.keys(NO_GRADIENT), ...Object.keys(NOT_DIFFERENTIABLE)])
      expect(byType.has(opType), opType).toBe(true);
  });

  it('gives every op type a gpu kernel, or a stated host/cpu-only reason', () => {
    const unexplained = rows.filter(
      (r) =>
        r.gpu.length !== 1 &&
        !r.notes.some((n) => /^(host op|cpu only): (?!\(no reason given\)|no gpu\.js kernel is registered)/.test(n)),
    );
    expect(unexplained.map((r) => r.opType)).toEqual([]);
  });
});

describe('OPS.md', () => {
  it('is the table the registries generate (npm run ops:table -w @tsflow/core rewrites it)', async () => {
    await expect(opsTableMarkdown(rows)).toMatchFileSnapshot('../OPS.md');
  });
});
