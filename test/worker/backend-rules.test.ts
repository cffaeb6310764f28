import { describe, expect, it } from 'vitest';
import { decideFromCalibration, describeAdapter, fallbacksAfter, gpuPairsPerBatch, parseBackendOverride, softwareAdapterReason } from '../../src/worker/backend/backend-rules';

describe('backend override from the address', () => {
  it('reads the four backends, case-insensitively, and nothing/auto as automatic', () => {
    expect(parseBackendOverride('?backend=wasm')).toBe('wasm');
    expect(parseBackendOverride('?x=1&backend=WebGPU')).toBe('webgpu');
    expect(parseBackendOverride('?backend=cpu')).toBe('cpu');
    expect(parseBackendOverride('')).toBeNull();
    expect(parseBackendOverride('?backend=auto')).toBeNull();
  });
  it('refuses an unknown backend with a message naming the choices', () => {
    expect(() => parseBackendOverride('?backend=cuda')).toThrow(/Unknown backend "cuda".*webgpu, wasm, webgl or cpu/);
  });
});

describe('software adapters', () => {
  it('recognises SwiftShader (as Chromium reports it) and says why', () => {
    const reason = softwareAdapterReason({ vendor: 'google', architecture: 'swiftshader', device: '', description: '', isFallbackAdapter: true });
    expect(reason).toMatch(/SwiftShader.*software renderer/);
    expect(reason).toMatch(/fallback/);
  });
  it('recognises llvmpipe and a bare fallback flag', () => {
    expect(softwareAdapterReason({ description: 'llvmpipe (LLVM 15.0.6, 256 bits)' })).toMatch(/llvmpipe/);
    expect(softwareAdapterReason({ vendor: 'unknown', isFallbackAdapter: true })).toMatch(/fallback/);
  });
  it('accepts a hardware adapter', () => {
    expect(softwareAdapterReason({ vendor: 'nvidia', architecture: 'ampere', description: 'NVIDIA GeForce RTX 3080' })).toBeNull();
    expect(softwareAdapterReason({ vendor: 'apple', architecture: 'metal-3' })).toBeNull();
  });
  it('describes an adapter from whatever fields it has', () => {
    expect(describeAdapter({ vendor: 'google', architecture: 'swiftshader' })).toBe('swiftshader (google)');
    expect(describeAdapter({ vendor: 'nvidia', architecture: 'ampere', description: 'NVIDIA GeForce RTX 3080' })).toBe('NVIDIA GeForce RTX 3080 (ampere)');
    expect(describeAdapter({})).toBe('unknown GPU');
  });
});

describe('choice and fallbacks', () => {
  it('picks the faster of WebGPU and wasm and gives the numbers', () => {
    expect(decideFromCalibration(20, 1600, 'SwiftShader')).toMatchObject({ name: 'wasm', reason: expect.stringMatching(/1,600.*20/) });
    expect(decideFromCalibration(40000, 1600, 'RTX')).toMatchObject({ name: 'webgpu', reason: expect.stringMatching(/40,000/) });
  });
  it('falls back from webgpu to wasm, webgl, cpu; from wasm only to later ones', () => {
    expect(fallbacksAfter('webgpu')).toEqual(['wasm', 'webgl', 'cpu']);
    expect(fallbacksAfter('wasm')).toEqual(['webgl', 'cpu']);
    expect(fallbacksAfter('cpu')).toEqual([]);
    expect(fallbacksAfter(null)).toEqual(['webgpu', 'wasm', 'webgl', 'cpu']);
  });
  it('sizes GPU batches from the buffer limit, within bounds', () => {
    // 128 MiB buffers, 28×28×16 floats per example, half of the buffer: 1,337 pairs.
    expect(gpuPairsPerBatch(128 * 2 ** 20, 28 * 28 * 16 * 4, 0.5, 4096)).toBe(1337);
    expect(gpuPairsPerBatch(2 ** 40, 1000, 0.5, 4096)).toBe(4096);
    expect(gpuPairsPerBatch(1000, 1e6, 0.5, 4096)).toBe(16);
    expect(gpuPairsPerBatch(0, 1000, 0.5, 4096)).toBe(512);
  });
});
