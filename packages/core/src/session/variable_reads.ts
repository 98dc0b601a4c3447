import type { Operation } from '../graph/operation.js';
import type { Tensor } from '../graph/tensor.js';

/*
 * TF1 reads a ref variable when its *consumer* runs, so an op ordered after an assign (through
 * control or data dependencies) sees the assigned value. The executor runs each VariableV2 op
 * once, as a snapshot; this module finds the consumers that must see a later value instead: those
 * with an ancestor that writes the variable after the snapshot was taken. Their input is
 * redirected to a capture of the variable taken right after that writer ran. Writes by ops
 * that are not ancestors of a consumer stay invisible to it (in TF1 they would race), so
 * gradient ops of one training step never see another variable's update.
 */

/** A value of `variable` captured right after `after` runs. @internal */
export interface VariableCapture {
  variable: string;
  after: Operation;
}

/** Which consumer inputs read a capture instead of the VariableV2 snapshot. @internal */
export interface VariableReadPlan {
  /** consumer -> input index -> capture (shared by consumers that need the same one). */
  redirects: Map<Operation, Map<number, VariableCapture>>;
  /** VariableV2 ops whose snapshot nobody reads any more (every consumer redirected, not fetched). */
  unusedSnapshots: Set<Operation>;
}

const NO_WRITERS: ReadonlyMap<string, Operation> = new Map();

/** Names of the variables (and optimizer slots) that `op` writes in the session. @internal */
export function variablesWrittenBy(op: Operation): string[] {
  const variable = op.attrs['variable'];
  if (typeof variable !== 'string') return [];
  const slots = op.attrs['slots'];
  return Array.isArray(slots) ? [variable, ...(slots as string[])] : [variable];
}

/**
 * Plans variable reads for `order` (a topological order of the ops to run). `fed` tensors are
 * not computed; `fetched` tensors keep their snapshot.
 * @internal
 */
export function planVariableReads(
  order: readonly Operation[],
  fed: ReadonlySet<Tensor>,
  fetched: ReadonlySet<Tensor>,
): VariableReadPlan {
  const plan: VariableReadPlan = { redirects: new Map(), unusedSnapshots: new Set() };
  if (!order.some((op) => variablesWrittenBy(op).length > 0)) return plan;
  const position = new Map<Operation, number>();
  order.forEach((op, i) => {
    position.set(op, i);
  });
  const captures = new Map<string, VariableCapture>();
  const snapshotReaders = new Map<Operation, number>();
  // The latest writer of each variable among an op's ancestors (the op itself included).
  const writersUpTo = new Map<Operation, ReadonlyMap<string, Operation>>();
  for (const op of order) {
    const inherited = ancestorWriters(op, fed, writersUpTo, position);
    op.inputs.forEach((input, index) => {
      const source = input.op;
      if (source.type !== 'VariableV2' || fed.has(input)) return;
      const writer = inherited.get(source.name);
      if (writer === undefined || position.get(writer)! < position.get(source)!) {
        snapshotReaders.set(source, (snapshotReaders.get(source) ?? 0) + 1);
        return;
      }
      const key = `${source.name}\u0000${writer.name}`;
      let capture = captures.get(key);
      if (!capture) captures.set(key, (capture = { variable: source.name, after: writer }));
      let byInput = plan.redirects.get(op);
      if (!byInput) plan.redirects.set(op, (byInput = new Map()));
      byInput.set(index, capture);
    });
    const written = variablesWrittenBy(op);
    if (written.length === 0) {
      writersUpTo.set(op, inherited);
    } else {
      const own = new Map(inherited);
      for (const name of written) own.set(name, op);
      writersUpTo.set(op, own);
    }
  }
  for (const op of order) {
    if (op.type === 'VariableV2' && !snapshotReaders.has(op) && !fetched.has(op.outputs[0]!))
      plan.unusedSnapshots.add(op);
  }
  return plan;
}

/** Merges the writer maps of `op`'s computed inputs and control inputs, keeping the latest writer per variable. */
function ancestorWriters(
  op: Operation,
  fed: ReadonlySet<Tensor>,
  writersUpTo: ReadonlyMap<Operation, ReadonlyMap<string, Operation>>,
  position: ReadonlyMap<Operation, number>,
): ReadonlyMap<string, Operation> {
  let merged: ReadonlyMap<string, Operation> = NO_WRITERS;
  let owned = false;
  const mergeFrom = (dep: Operation): void => {
    const theirs = writersUpTo.get(dep) ?? NO_WRITERS;
    if (theirs.size === 0 || theirs === merged) return;
    if (merged.size === 0) {
      merged = theirs;
      return;
    }
    const out = owned ? (merged as Map<string, Operation>) : new Map(merged);
    owned = true;
    for (const [name, writer] of theirs) {
      const current = out.get(name);
      if (current === undefined || position.get(current)! < position.get(writer)!) out.set(name, writer);
    }
    merged = out;
  };
  for (const input of op.inputs) if (!fed.has(input)) mergeFrom(input.op);
  for (const control of op.controlInputs) mergeFrom(control);
  return merged;
}
