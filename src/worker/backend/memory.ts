/**
 * Will the model fit? Browsers do not say how much GPU memory there is, so the budget is an
 * honest guess from what they do say: a wasm heap cannot pass 2 GiB (tfjs's wasm build),
 * and navigator.deviceMemory (rounded down, at most 8) bounds everything else.
 */
import { CoarError } from '../../coar/errors';
import { checkFitsMemory, estimateRunMemory, type ModelSummary } from '../../coar/model-summary';
import type { GpuProbe } from './backend';
import type { BackendName, MemoryCheck } from '../protocol/protocol';

const GIB = 1024 ** 3;
/** Share of the device's memory a tab can expect to use. */
const DEVICE_SHARE = 0.5;
const WASM_HEAP_LIMIT = 2 * GIB;

export function memoryBudget(backend: BackendName, gpu: GpuProbe | null): { bytes: number; device: string } {
  const deviceGiB = (globalThis.navigator as (Navigator & { deviceMemory?: number }) | undefined)?.deviceMemory ?? 4;
  const device = deviceGiB * GIB * DEVICE_SHARE;
  if (backend === 'wasm') return { bytes: Math.min(WASM_HEAP_LIMIT, device), device: 'the wasm backend (a 2 GiB heap at most)' };
  if (backend === 'webgpu') return { bytes: device, device: `WebGPU on ${gpu?.adapter ?? 'this GPU'} (about half of the ${deviceGiB} GiB the browser reports)` };
  return { bytes: device, device: `the ${backend} backend (about half of the ${deviceGiB} GiB the browser reports)` };
}

/**
 * The estimate for `wanted` (example, mask) pairs per forward pass, against the budget. A batch
 * too big for the budget is made smaller (pairsPerBatch says how many fit); only a model that
 * cannot run even one pair at a time is a problem.
 */
export function checkMemory(summary: ModelSummary, backend: BackendName, gpu: GpuProbe | null, wanted: number): MemoryCheck {
  const budget = memoryBudget(backend, gpu);
  const one = estimateRunMemory(summary, 1);
  const fitting = Math.floor((budget.bytes - one.weightBytes) / Math.max(1, one.bytesPerPair));
  const estimate = estimateRunMemory(summary, Math.max(1, Math.min(wanted, fitting)));
  let problem: string | null = null;
  try {
    checkFitsMemory(estimate, budget.bytes, budget.device);
  } catch (e) {
    if (!(e instanceof CoarError)) throw e;
    problem = e.message;
  }
  return { ...estimate, budgetBytes: budget.bytes, device: budget.device, fits: problem === null, problem };
}
