/// <reference types="@webgpu/types" />
/**
 * Choosing the tfjs backend inside the worker.
 *   forced (?backend=…)  that backend, no calibration; if it cannot start, the next that can
 *   automatic            WebGPU when a hardware adapter exists and a calibration batch runs
 *                        faster on it than on wasm; otherwise wasm, then webgl, then cpu.
 * Software adapters (SwiftShader & co.) are ruled out without calibrating: they run ~20 ablated
 * examples/s where wasm runs ~1,600/s, and their shader warm-up alone takes seconds.
 */
import { registerWasmTransformerKernels } from '../../coar/layers/wasm-kernels';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import './wasm-setup';
import { APP_CONFIG } from '../../app-config';
import { CoarError } from '../../coar/errors';
import { ENGINE_TUNING } from '../../coar/tuning';
import { decideFromCalibration, describeAdapter, fallbacksAfter, gpuPairsPerBatch, softwareAdapterReason, type AdapterFacts } from './backend-rules';
import type { BackendInfo, BackendName } from '../protocol/protocol';

export interface GpuProbe {
  usable: boolean;
  adapter: string;
  /** Why WebGPU is not used, when it is not usable. */
  why?: string;
  maxStorageBufferBindingSize?: number;
}

export async function probeGpu(): Promise<GpuProbe> {
  const gpu = (self.navigator as Navigator & { gpu?: GPU }).gpu;
  if (!gpu) return { usable: false, adapter: 'none', why: 'this browser offers no WebGPU (navigator.gpu is missing)' };
  let adapter: GPUAdapter | null = null;
  try {
    adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch (e) {
    return { usable: false, adapter: 'none', why: `the WebGPU adapter request failed (${(e as Error).message})` };
  }
  if (!adapter) return { usable: false, adapter: 'none', why: 'WebGPU is present but no GPU adapter is available (blocked or unsupported GPU)' };
  const facts = await adapterFacts(adapter);
  const adapterText = describeAdapter(facts);
  const software = softwareAdapterReason(facts);
  const maxStorageBufferBindingSize = adapter.limits.maxStorageBufferBindingSize;
  if (software) return { usable: false, adapter: `${adapterText} (software)`, why: `the WebGPU adapter is not a real GPU: ${software}`, maxStorageBufferBindingSize };
  return { usable: true, adapter: adapterText, maxStorageBufferBindingSize };
}

async function adapterFacts(adapter: GPUAdapter): Promise<AdapterFacts> {
  const a = adapter as GPUAdapter & { info?: GPUAdapterInfo & { isFallbackAdapter?: boolean }; requestAdapterInfo?: () => Promise<GPUAdapterInfo>; isFallbackAdapter?: boolean };
  let info: (GPUAdapterInfo & { isFallbackAdapter?: boolean }) | undefined = a.info;
  if (!info && a.requestAdapterInfo) {
    try { info = await a.requestAdapterInfo(); } catch { /* older browsers: no details */ }
  }
  return {
    vendor: info?.vendor, architecture: info?.architecture, device: info?.device, description: info?.description,
    isFallbackAdapter: Boolean(info?.isFallbackAdapter ?? a.isFallbackAdapter),
  };
}

/** Switches tfjs to `name`; false when that backend cannot start here. */
export async function trySetBackend(name: BackendName): Promise<boolean> {
  try {
    if (!tf.findBackendFactory(name)) return false;
    const ok = await tf.setBackend(name);
    if (ok) await tf.ready();
    if (ok && name === 'wasm') registerWasmTransformerKernels(['tile']);
    return ok && tf.getBackend() === name;
  } catch {
    return false;
  }
}

const NAMES: Record<BackendName, string> = { webgpu: 'WebGPU', wasm: 'wasm (CPU, WebAssembly)', webgl: 'WebGL', cpu: 'plain JavaScript (cpu)' };

function cpuAdapterText(name: BackendName, gpu: GpuProbe | null): string {
  if (name === 'webgpu') return gpu?.adapter ?? 'GPU';
  if (name === 'webgl') return 'GPU via WebGL';
  return `CPU${gpu && gpu.adapter !== 'none' ? `; WebGPU adapter: ${gpu.adapter}` : ''}`;
}

/** Starts the first backend of `order` that works; the reason names what failed before it. */
async function firstWorking(order: BackendName[], gpu: GpuProbe | null, reason: string, forced: boolean): Promise<BackendInfo> {
  const failed: BackendName[] = [];
  for (const name of order) {
    if (await trySetBackend(name)) {
      const failedText = failed.length ? ` ${failed.map((f) => NAMES[f]).join(', ')} could not start.` : '';
      return { name, adapter: cpuAdapterText(name, gpu), reason: reason + failedText, forced };
    }
    failed.push(name);
  }
  throw new CoarError(`No tfjs backend could start in this browser (tried ${order.join(', ')}).`, 'no-backend');
}

export interface ChooseOptions {
  override: BackendName | null;
  /** Measures (example, mask) pairs per second on the current backend with a small masked batch. */
  measure: () => Promise<number>;
  /** Calibrate even on a software adapter (for testing the calibration itself). */
  calibrateAlways?: boolean;
}

export async function chooseBackend(options: ChooseOptions): Promise<{ info: BackendInfo; gpu: GpuProbe | null }> {
  const gpu = await probeGpu();
  if (options.override) {
    const o = options.override;
    const order = [o, ...fallbacksAfter(o)];
    const info = await firstWorking(order, gpu, `Forced by the address (?backend=${o}); no calibration.`, true);
    if (info.name !== o) info.reason = `?backend=${o} was asked for but ${NAMES[o]} could not start here; using ${NAMES[info.name]}.`;
    if (info.name === 'webgpu') info.adapter = gpu.adapter;
    return { info, gpu };
  }
  const calibrateAnyway = Boolean(options.calibrateAlways) && gpu.adapter !== 'none';
  if (!gpu.usable && !calibrateAnyway) {
    return { info: await firstWorking(['wasm', 'webgl', 'cpu'], gpu, `Using wasm on the CPU because ${gpu.why}.`, false), gpu };
  }
  // A hardware adapter: time the same small masked batch on both.
  const timings: Partial<Record<BackendName, number>> = {};
  if (await trySetBackend('webgpu')) {
    try { timings.webgpu = await options.measure(); } catch { timings.webgpu = 0; }
  }
  if (await trySetBackend('wasm')) {
    try { timings.wasm = await options.measure(); } catch { timings.wasm = 0; }
  }
  if (timings.webgpu === undefined) {
    return { info: await firstWorking(['wasm', 'webgl', 'cpu'], gpu, `WebGPU on ${gpu.adapter} could not start; using wasm.`, false), gpu };
  }
  const decision = decideFromCalibration(timings.webgpu ?? 0, timings.wasm ?? 0, gpu.adapter);
  if (!gpu.usable) decision.reason += ` (Calibrated on request, although ${gpu.why}.)`;
  const info = await firstWorking([decision.name, ...fallbacksAfter(decision.name)], gpu, decision.reason, false);
  info.calibration = timings;
  if (info.name === 'webgpu') info.adapter = gpu.adapter;
  return { info, gpu };
}

/** Devices already watched, and who hears of their loss: only the latest workspace. */
const watchedDevices = new WeakSet<GPUDevice>();
let onDeviceLost: ((message: string) => void) | null = null;

/**
 * Calls `onLost` if the current WebGPU device is lost (driver reset, destroy(), out of memory).
 * Each device is watched once; a later call only replaces the listener, so replaced workspaces
 * are neither kept alive nor warned about.
 */
export function watchDeviceLoss(onLost: (message: string) => void): void {
  if (tf.getBackend() !== 'webgpu') return;
  onDeviceLost = onLost;
  const device = (tf.backend() as WebGPUBackend).device;
  if (watchedDevices.has(device)) return;
  watchedDevices.add(device);
  device.lost.then((info) => onDeviceLost?.(info.message || `reason: ${info.reason}`)).catch(() => {});
  device.addEventListener('uncapturederror', (event) => {
    const error = (event as GPUUncapturedErrorEvent).error;
    if (error instanceof GPUOutOfMemoryError) onDeviceLost?.(`the GPU ran out of memory (${error.message})`);
  });
}

/** Destroys the WebGPU device (testing aid); false on another backend. */
export function destroyGpuDevice(): boolean {
  if (tf.getBackend() !== 'webgpu') return false;
  (tf.backend() as WebGPUBackend).device.destroy();
  return true;
}

/** (example, mask) pairs per forward pass for the current backend and this model. */
export function pairsPerBatchFor(backend: BackendName, model: tf.LayersModel, gpu: GpuProbe | null, software: boolean): number {
  if (backend === 'webgpu' && software) return APP_CONFIG.backend.softwareGpuPairsPerBatch;
  if (backend !== 'webgpu') return ENGINE_TUNING.pairsPerBatch;
  let largest = 0;
  for (const layer of model.layers) {
    const shapes = (Array.isArray((layer.outputShape as unknown[])[0]) ? layer.outputShape : [layer.outputShape]) as (number | null)[][];
    for (const shape of shapes) largest = Math.max(largest, shape.slice(1).reduce<number>((p, d) => p * (d ?? 1), 1));
  }
  const { gpuBufferShare, gpuMaxPairsPerBatch } = APP_CONFIG.backend;
  return gpuPairsPerBatch(gpu?.maxStorageBufferBindingSize ?? 0, largest * 4, gpuBufferShare, gpuMaxPairsPerBatch);
}
