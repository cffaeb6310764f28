/**
 * Points the tfjs wasm backend at the .wasm files Vite emits, so the backend loads them from the
 * site itself (offline, from any sub-path) instead of a CDN. Import before the backend starts.
 */
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import plainUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import simdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import threadedSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';

const absolute = (url: string) => new URL(url, import.meta.url).href;

setWasmPaths({
  'tfjs-backend-wasm.wasm': absolute(plainUrl),
  'tfjs-backend-wasm-simd.wasm': absolute(simdUrl),
  'tfjs-backend-wasm-threaded-simd.wasm': absolute(threadedSimdUrl),
});
