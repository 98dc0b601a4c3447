import { describe, expect, it } from 'vitest';
import { decideAcceleration } from './acceleration_probe.js';

describe('decideAcceleration', () => {
  it('refuses software rasterisers whatever the timing', () => {
    for (const renderer of [
      'llvmpipe (LLVM 15.0.6, 256 bits)',
      'Mesa softpipe',
      'Google SwiftShader',
      'ANGLE (Software Adapter)',
    ]) {
      expect(decideAcceleration({ renderer, gpuMs: 1, cpuMs: 100 })).toBe(false);
    }
  });

  it('on a hardware renderer needs gpu.js to win the probe race', () => {
    expect(decideAcceleration({ renderer: 'NVIDIA GeForce RTX 3060/PCIe/SSE2', gpuMs: 2, cpuMs: 10 })).toBe(true);
    expect(decideAcceleration({ renderer: 'NVIDIA GeForce RTX 3060/PCIe/SSE2', gpuMs: 12, cpuMs: 10 })).toBe(false);
    expect(decideAcceleration({ renderer: undefined, gpuMs: 2, cpuMs: 10 })).toBe(true);
  });

  it('without timings stays on cpu, and TSFLOW_GPU_ACCELERATED overrides everything', () => {
    expect(decideAcceleration({ renderer: 'NVIDIA' })).toBe(false);
    expect(decideAcceleration({ override: '1', renderer: 'llvmpipe' })).toBe(true);
    expect(decideAcceleration({ override: '0', gpuMs: 1, cpuMs: 100 })).toBe(false);
  });
});
