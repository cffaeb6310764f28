/**
 * Pixel work for imported images: channel conversion and resizing. Plain double arithmetic and
 * Math.round only, so the browser and Node produce the same bytes for the same image.
 */

/** ITU-R BT.601 luma weights (what PIL's convert('L') uses). */
const LUMA = [0.299, 0.587, 0.114] as const;

/** True when every pixel has R = G = B (a grayscale image decoded to RGBA). */
export function isGrayRgba(rgba: Uint8Array): boolean {
  for (let p = 0; p < rgba.length; p += 4) {
    if (rgba[p] !== rgba[p + 1] || rgba[p] !== rgba[p + 2]) return false;
  }
  return true;
}

/** RGBA → RGB. Alpha is ignored, as PIL's convert('RGB') does: transparent pixels keep their stored colour. */
export function rgbaToRgb(rgba: Uint8Array): Uint8Array {
  const count = rgba.length / 4;
  const out = new Uint8Array(count * 3);
  for (let p = 0; p < count; p++) {
    out[3 * p] = rgba[4 * p];
    out[3 * p + 1] = rgba[4 * p + 1];
    out[3 * p + 2] = rgba[4 * p + 2];
  }
  return out;
}

/** RGB → opaque RGBA. */
export function rgbToRgba(rgb: Uint8Array): Uint8Array {
  const count = rgb.length / 3;
  const out = new Uint8Array(count * 4).fill(255);
  for (let p = 0; p < count; p++) out.set(rgb.subarray(3 * p, 3 * p + 3), 4 * p);
  return out;
}

/** RGB → gray by rounded luma; a gray image (R = G = B) keeps its values exactly. */
export function rgbToGray(rgb: Uint8Array): Uint8Array {
  const out = new Uint8Array(rgb.length / 3);
  for (let p = 0; p < out.length; p++) out[p] = Math.round(LUMA[0] * rgb[3 * p] + LUMA[1] * rgb[3 * p + 1] + LUMA[2] * rgb[3 * p + 2]);
  return out;
}

/** For each output index, the source indices it reads and their weights (summing to 1). */
interface Taps {
  start: Int32Array; // offsets into index/weight, one more than the output size
  index: Int32Array;
  weight: Float64Array;
}

/**
 * One axis of the resize. Shrinking averages the source pixels each output pixel covers,
 * weighted by overlap (area averaging, as OpenCV's INTER_AREA); enlarging interpolates linearly
 * between pixel centres (half-pixel centres, edges clamped). Equal sizes copy.
 */
export function resampleTaps(src: number, dst: number): Taps {
  const index: number[] = [];
  const weight: number[] = [];
  const start = new Int32Array(dst + 1);
  for (let i = 0; i < dst; i++) {
    start[i] = index.length;
    if (dst < src) {
      // In units of 1/dst: output i covers [i·src, (i+1)·src), source j covers [j·dst, (j+1)·dst).
      const lo = i * src;
      const hi = (i + 1) * src;
      for (let j = Math.floor(lo / dst); j * dst < hi; j++) {
        const overlap = Math.min(hi, (j + 1) * dst) - Math.max(lo, j * dst);
        if (overlap > 0) {
          index.push(j);
          weight.push(overlap / src);
        }
      }
    } else {
      const x = Math.min(Math.max(((2 * i + 1) * src - dst) / (2 * dst), 0), src - 1);
      const j = Math.floor(x);
      const f = x - j;
      index.push(j);
      weight.push(1 - f);
      if (f > 0) {
        index.push(j + 1);
        weight.push(f);
      }
    }
  }
  start[dst] = index.length;
  return { start, index: Int32Array.from(index), weight: Float64Array.from(weight) };
}

/** Resizes an H×W×C uint8 image (channels last) to dstH×dstW×C: rows first, then columns. */
export function resizePixels(src: Uint8Array, height: number, width: number, channels: number, dstH: number, dstW: number): Uint8Array {
  if (height === dstH && width === dstW) return src.slice();
  const across = resampleTaps(width, dstW);
  const down = resampleTaps(height, dstH);
  const rows = new Float64Array(height * dstW * channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < dstW; x++) {
      for (let c = 0; c < channels; c++) {
        let sum = 0;
        for (let t = across.start[x]; t < across.start[x + 1]; t++) sum += across.weight[t] * src[(y * width + across.index[t]) * channels + c];
        rows[(y * dstW + x) * channels + c] = sum;
      }
    }
  }
  const out = new Uint8Array(dstH * dstW * channels);
  for (let y = 0; y < dstH; y++) {
    for (let x = 0; x < dstW; x++) {
      for (let c = 0; c < channels; c++) {
        let sum = 0;
        for (let t = down.start[y]; t < down.start[y + 1]; t++) sum += down.weight[t] * rows[(down.index[t] * dstW + x) * channels + c];
        out[(y * dstW + x) * channels + c] = Math.min(255, Math.max(0, Math.round(sum)));
      }
    }
  }
  return out;
}
