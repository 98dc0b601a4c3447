import { afterEach, describe, expect, it, vi } from 'vitest';

afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

describe('TSFLOW_GPU_MODE', () => {
  it('a bad value does not break importing or cpu sessions; gpu use raises its named error', async () => {
    vi.stubEnv('TSFLOW_GPU_MODE', 'bogus');
    vi.resetModules();
    const runtime = await import('./gpu_runtime.js');
    const { SessionDeviceContext } = await import('./device_context.js');
    const message =
      /^TSFLOW_GPU_MODE: unknown gpu\.js mode 'bogus'; expected 'auto' or one of headlessgl, webgl2, webgl, webasm, cpu$/;
    new SessionDeviceContext('cpu', false).close();
    expect(() => runtime.gpuInfo()).toThrow(message);
    expect(() => new SessionDeviceContext('gpu', false)).toThrow(message);
    expect(() => new SessionDeviceContext('auto', false)).toThrow(message);
    // An explicit choice replaces the environment's.
    runtime.setGpuMode('auto');
    expect(runtime.gpuInfo().requested).toBe('auto');
  });
});
