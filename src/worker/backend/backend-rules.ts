/**
 * The rules of backend choice, as pure functions (no tfjs, no navigator) so they can be tested
 * in Node. src/worker/backend/backend.ts applies them to the real browser.
 */
import { BACKEND_NAMES, type BackendName } from '../protocol/protocol';

/** The adapter facts we look at (GPUAdapterInfo plus the adapter's own isFallbackAdapter). */
export interface AdapterFacts {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}

/** Parses `?backend=…`; returns null when absent, throws a readable message when unknown. */
export function parseBackendOverride(search: string): BackendName | null {
  const value = new URLSearchParams(search).get('backend');
  if (value === null || value === '' || value === 'auto') return null;
  const name = value.toLowerCase();
  if ((BACKEND_NAMES as readonly string[]).includes(name)) return name as BackendName;
  throw new Error(`Unknown backend "${value}" in the address: use ?backend=webgpu, wasm, webgl or cpu (or leave it out to choose automatically).`);
}

/** "SwiftShader (Google, swiftshader)": the adapter in words, from whatever fields it fills. */
export function describeAdapter(facts: AdapterFacts): string {
  const parts = [facts.description, facts.device].filter((s): s is string => Boolean(s && s.trim()));
  const main = parts[0] ?? (facts.architecture || 'unknown GPU');
  const extra = [facts.vendor, facts.architecture].filter((s) => s && s.trim() && !main.toLowerCase().includes(s.toLowerCase()));
  return extra.length ? `${main} (${extra.join(', ')})` : main;
}

/** Why this adapter is a software rasteriser (CPU emulation of a GPU), or null for real hardware. */
export function softwareAdapterReason(facts: AdapterFacts): string | null {
  const text = [facts.vendor, facts.architecture, facts.device, facts.description].join(' ').toLowerCase();
  const word = ['swiftshader', 'llvmpipe', 'lavapipe', 'softpipe', 'microsoft basic render'].find((w) => text.includes(w));
  const name = word === 'swiftshader' ? 'SwiftShader' : word;
  if (name) return `it is ${name}, a software renderer that emulates a GPU on the CPU${facts.isFallbackAdapter ? ' (the browser flags it as a fallback adapter)' : ''}`;
  if (facts.isFallbackAdapter) return 'the browser reports it as a fallback (software) adapter';
  return null;
}

/** Backends to try, in order, after `failed` did not work (or was lost). */
export function fallbacksAfter(failed: BackendName | null): BackendName[] {
  const order: BackendName[] = ['webgpu', 'wasm', 'webgl', 'cpu'];
  if (failed === null) return order;
  return order.filter((b) => b !== failed && (failed === 'webgpu' ? true : order.indexOf(b) > order.indexOf(failed)));
}

/** Picks between WebGPU and wasm from calibration timings (pairs per second), with the reason. */
export function decideFromCalibration(webgpu: number, wasm: number, adapter: string): { name: BackendName; reason: string } {
  const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
  if (webgpu >= wasm) {
    return { name: 'webgpu', reason: `WebGPU on ${adapter} ran a test batch at ${fmt(webgpu)} ablated examples/s, wasm at ${fmt(wasm)}/s.` };
  }
  return { name: 'wasm', reason: `wasm (CPU) ran a test batch at ${fmt(wasm)} ablated examples/s, faster than WebGPU on ${adapter} at ${fmt(webgpu)}/s.` };
}

/**
 * (example, mask) pairs per forward pass on a GPU: as many as fit when the largest activation of
 * one example (in bytes) may take `share` of the device's largest storage buffer.
 */
export function gpuPairsPerBatch(maxBufferBytes: number, activationBytesPerExample: number, share: number, cap: number): number {
  if (!(maxBufferBytes > 0) || !(activationBytesPerExample > 0)) return Math.min(512, cap);
  const fit = Math.floor((maxBufferBytes * share) / activationBytesPerExample);
  return Math.max(16, Math.min(cap, fit));
}
