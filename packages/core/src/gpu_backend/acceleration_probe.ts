import type { GPU } from 'gpu.js';
import { gemmFloat32 } from '../cpu_backend/gemm.js';

/**
 * Whether a GL-backed gpu.js instance actually runs on a GPU. A GL context alone proves nothing:
 * headless-gl on Mesa's llvmpipe (e.g. under Xvfb) is a CPU rasteriser, measured on the dev box
 * at ~1.0 GFLOPS for matMul 512², no faster than plain JS. 'auto' may only send work to gpu.js
 * where it wins, so the answer is: a known software renderer says no; otherwise a short matMul
 * race against the cpu kernel decides. TSFLOW_GPU_ACCELERATED=1|0 skips both.
 */
const SOFTWARE_RENDERER = /llvmpipe|softpipe|swiftshader|swrast|software|lavapipe/i;

/** Side of the probe matMul: big enough for a GPU to win, small enough to cost ~10 ms on cpu. */
const PROBE_SIZE = 256;

export interface AccelerationEvidence {
  /** TSFLOW_GPU_ACCELERATED, when set. */
  override?: string | undefined;
  /** The GL renderer string, when the context exposes one. */
  renderer?: string | undefined;
  /** Median ms of the probe matMul through gpu.js and through the cpu kernel. */
  gpuMs?: number;
  cpuMs?: number;
}

/** The decision, from whatever evidence is at hand (pure: unit-tested with injected evidence). */
export function decideAcceleration(evidence: AccelerationEvidence): boolean {
  if (evidence.override === '1') return true;
  if (evidence.override === '0') return false;
  if (evidence.renderer !== undefined && SOFTWARE_RENDERER.test(evidence.renderer)) return false;
  if (evidence.gpuMs === undefined || evidence.cpuMs === undefined) return false;
  return evidence.gpuMs < evidence.cpuMs;
}

/** The GL renderer name (unmasked where the debug extension exists), or undefined. */
function rendererName(gpu: GPU): string | undefined {
  const gl = gpu.context as {
    getParameter?: (name: number) => unknown;
    getExtension?: (name: string) => { UNMASKED_RENDERER_WEBGL?: number } | null;
    RENDERER?: number;
  } | null;
  if (!gl?.getParameter) return undefined;
  const debug = gl.getExtension?.('WEBGL_debug_renderer_info');
  const unmasked =
    debug?.UNMASKED_RENDERER_WEBGL !== undefined ? gl.getParameter(debug.UNMASKED_RENDERER_WEBGL) : undefined;
  const plain = gl.RENDERER !== undefined ? gl.getParameter(gl.RENDERER) : undefined;
  const name = [unmasked, plain].find((v) => typeof v === 'string' && v !== '');
  return name as string | undefined;
}

function median3(run: () => void): number {
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const start = performance.now();
    run();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[1]!;
}

/** Gathers the evidence for a GL-backed instance (compiles and races one probe kernel). */
export function gatherEvidence(gpu: GPU): AccelerationEvidence {
  const override = process.env['TSFLOW_GPU_ACCELERATED'];
  if (override === '1' || override === '0') return { override };
  const n = PROBE_SIZE;
  const a = new Float32Array(n * n).fill(0.5);
  const b = new Float32Array(n * n).fill(0.25);
  const probe = gpu.createKernel(
    `function (a, b) {\nlet sum = 0.0;\nfor (let p = 0; p < ${n}; p++) {\n  sum += a[this.thread.y * ${n} + p] * b[p * ${n} + this.thread.x];\n}\nreturn sum;\n}`,
    { output: [n, n], tactic: 'precision', precision: 'single' },
  );
  try {
    probe(a, b); // compile, and the context now exists
    const renderer = rendererName(gpu);
    if (renderer !== undefined && SOFTWARE_RENDERER.test(renderer)) return { renderer };
    const gpuMs = median3(() => probe(a, b));
    const out = new Float32Array(n * n);
    const cpuMs = median3(() => gemmFloat32(a, 0, b, 0, out, 0, n, n, n, false, false));
    return { renderer, gpuMs, cpuMs };
  } finally {
    probe.destroy();
  }
}
