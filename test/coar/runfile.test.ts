import { rewriteRunHeader } from '../helpers/run-header';
import { describe, expect, it } from 'vitest';
import { decodeRunFile, encodeRunFile, RUN_FILE_VERSION, runProgress, type RunData } from '../../src/coar/runfile';
import type { RunSettings } from '../../src/coar/settings';
import { checkRunMatches, mergeRuns } from '../../src/coar/run-merge';
import { fingerprintBytes } from '../../src/coar/fingerprint';

import { emptyRun, computeRows, range, LAYERS, N, n, SETTINGS } from '../helpers/synthetic-run';

function completeRun(): RunData {
  const run = emptyRun();
  computeRows(run.train, range(0, SETTINGS.trainMasks));
  computeRows(run.validation, range(0, SETTINGS.valMasks));
  return run;
}

function withFit(run: RunData, validationCorrelation: number | null = 0.8125): RunData {
  return {
    ...run,
    fit: {
      weights: Float32Array.from({ length: n * N }, (_, k) => Math.cos(k) / 3),
      bias: Float32Array.from({ length: n }, (_, j) => j * 0.1 - 1),
      lambda: 0.03,
      validationCorrelation,
    },
  };
}

/** Rewrites a run file's JSON header (for building malformed files). */
function patchHeader(bytes: Uint8Array, edit: (header: any) => void): Uint8Array {
  return rewriteRunHeader(bytes, (text) => {
    const header = JSON.parse(text);
    edit(header);
    return JSON.stringify(header);
  });
}

describe('run file encoding', () => {
  it('round-trips a run with nothing computed', () => {
    const run = emptyRun();
    expect(runProgress(run)).toEqual({ trainDone: 0, trainTotal: 24, validationDone: 0, validationTotal: 8 });
    expect(decodeRunFile(encodeRunFile(run))).toEqual(run);
  });

  it('round-trips a partly computed shard, every field included', () => {
    const run = emptyRun({ index: 1, count: 3 });
    computeRows(run.train, [1, 4, 7, 22]);
    computeRows(run.validation, [1]);
    const back = decodeRunFile(encodeRunFile(run));
    expect(back).toEqual(run);
    expect(back.version).toBe(RUN_FILE_VERSION);
    expect(back.train.outputs).toBeInstanceOf(Float32Array);
    expect(back.train.masks.ablated).toBeInstanceOf(Uint32Array);
    expect(back.labels).toBeInstanceOf(Int32Array);
    expect(Array.from(back.train.done)).toEqual(range(0, 24).map((r) => ([1, 4, 7, 22].includes(r) ? 1 : 0)));
    expect(runProgress(back)).toEqual({ trainDone: 4, trainTotal: 24, validationDone: 1, validationTotal: 8 });
  });

  it('round-trips a fitted run, with and without a validation correlation', () => {
    for (const correlation of [0.8125, null]) {
      const run = withFit(completeRun(), correlation);
      const back = decodeRunFile(encodeRunFile(run));
      expect(back).toEqual(run);
      expect(back.fit?.weights).toBeInstanceOf(Float32Array);
    }
  });

  it('decodes from a view into a larger buffer, such as a Node Buffer', () => {
    const run = withFit(completeRun());
    const bytes = encodeRunFile(run);
    const padded = new Uint8Array(bytes.length + 13);
    padded.set(bytes, 5);
    expect(decodeRunFile(padded.subarray(5, 5 + bytes.length))).toEqual(run);
    expect(decodeRunFile(Buffer.from(bytes))).toEqual(run);
  });

  it('lays out magic, version, JSON header and 8-byte aligned sections', () => {
    const bytes = encodeRunFile(withFit(completeRun()));
    expect(new TextDecoder().decode(bytes.subarray(0, 8))).toBe('COARRUN\0');
    const view = new DataView(bytes.buffer);
    expect(view.getUint32(8, true)).toBe(RUN_FILE_VERSION);
    const headerLength = view.getUint32(12, true);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(16, 16 + headerLength)));
    expect(header.sections['train.outputs']).toMatchObject({ dtype: 'float32', shape: [24, n], byteLength: 24 * n * 4 });
    expect(header.sections['train.masks']).toMatchObject({ dtype: 'uint32', shape: [24, 3] });
    expect(header.sections['fit.weights']).toMatchObject({ dtype: 'float32', shape: [n, N] });
    const dataStart = Math.ceil((16 + headerLength) / 8) * 8;
    expect(bytes.subarray(16 + headerLength, dataStart).every((b) => b === 0)).toBe(true);
    for (const entry of Object.values<any>(header.sections)) expect(entry.offset % 8).toBe(0);
    // A reader without this code can find the weights from the table alone.
    const { offset } = header.sections['fit.weights'];
    expect(view.getFloat32(dataStart + offset + 4 * (2 * N + 5), true)).toBe(Math.fround(Math.cos(2 * N + 5) / 3));
  });

  it('refuses to write a run whose arrays do not match its settings', () => {
    const run = emptyRun();
    run.train.outputs = new Float32Array(5);
    expect(() => encodeRunFile(run)).toThrow(/"train.outputs" has 5 values; the settings call for 24 × 5/);
  });
});

describe('malformed run files', () => {
  const good = () => encodeRunFile(withFit(completeRun()));

  it('rejects a file that is not a run file', () => {
    expect(() => decodeRunFile(new TextEncoder().encode('{"not": "a run"}'))).toThrow('This is not a COAR run file');
    expect(() => decodeRunFile(new Uint8Array(3))).toThrow('This is not a COAR run file');
  });

  it('reads a file written before component kinds were recorded, and refuses a kind it does not know', () => {
    const noKinds = decodeRunFile(rewriteRunHeader(good(), (h) => h.replaceAll('"kind":"conv-filter",', '')));
    expect(noKinds.layers.map((l) => l.kind)).toEqual(['conv-filter', 'conv-filter']);
    expect(() => decodeRunFile(rewriteRunHeader(good(), (h) => h.replace('"kind":"conv-filter"', '"kind":"quantum-gate"')))).toThrow(/layer "conv1" has the component kind "quantum-gate", which this version of COAR Explorer does not know/);
    expect(() => decodeRunFile(rewriteRunHeader(good(), (h) => h.replace('"kind":"conv-filter"', '"kind":"attention-head"')))).toThrow(/is a Conv2D with components of kind "attention-head", which only MultiHeadAttention layers have/);
    expect(() => decodeRunFile(rewriteRunHeader(good(), (h) => h.replaceAll('"kind":"conv-filter",', '').replace('"className":"Conv2D"', '"className":"Mystery"')))).toThrow(/has the class Mystery/);
  });

  it('rejects a newer format version, naming both versions', () => {
    const bytes = good();
    new DataView(bytes.buffer).setUint32(8, RUN_FILE_VERSION + 1, true);
    expect(() => decodeRunFile(bytes)).toThrow(
      `This run file uses format version ${RUN_FILE_VERSION + 1}, newer than this COAR Explorer reads (up to version ${RUN_FILE_VERSION}). Update COAR Explorer to open it.`);
  });

  it('rejects truncated files, wherever they were cut', () => {
    const bytes = good();
    expect(() => decodeRunFile(bytes.subarray(0, bytes.length - 7))).toThrow(/^The run file is truncated: it should be \d+ bytes long but has \d+\.$/);
    expect(() => decodeRunFile(bytes.subarray(0, 40))).toThrow(/^The run file is truncated: its header needs \d+ bytes but only 24 follow\.$/);
    expect(() => decodeRunFile(bytes.subarray(0, 12))).toThrow('The run file is truncated: it ends inside its preamble.');
  });

  it('rejects a section that points outside the file', () => {
    const bytes = patchHeader(good(), (h) => { h.sections['fit.bias'].offset = h.dataByteLength; });
    expect(() => decodeRunFile(bytes)).toThrow(/^Section "fit.bias" \(offset \d+, 20 bytes\) is out of bounds of the file's \d+-byte data area\.$/);
  });

  it('rejects sections whose shapes contradict the settings', () => {
    const bytes = patchHeader(good(), (h) => { h.settings.trainMasks = 25; });
    expect(() => decodeRunFile(bytes)).toThrow('Section "train.done" has shape [24], inconsistent with the run\'s settings, which call for [25].');
    const lying = patchHeader(good(), (h) => { h.sections['labels'].byteLength = 4; });
    expect(() => decodeRunFile(lying)).toThrow('Section "labels" is 4 bytes, inconsistent with its shape [5].');
  });

  it('rejects a corrupt header and a missing section', () => {
    const bytes = good();
    bytes[20] = 0x22; // a stray '"' inside the first key
    expect(() => decodeRunFile(bytes)).toThrow(/^The run file's header is corrupt/);
    const missing = patchHeader(good(), (h) => { delete h.sections['validation.done']; });
    expect(() => decodeRunFile(missing)).toThrow('The run file has no "validation.done" section.');
  });
});

describe('checkRunMatches', () => {
  const run = emptyRun();
  const loaded = { modelFingerprint: '0123456789abcdef', dataFingerprint: 'fedcba9876543210', componentCount: N, layers: LAYERS };

  it('accepts the model, data and components the run was made with', () => {
    expect(() => checkRunMatches(run, loaded)).not.toThrow();
  });

  it('refuses a run made with another model, data set or component selection', () => {
    expect(() => checkRunMatches(run, { ...loaded, modelFingerprint: 'aaaabbbbccccdddd', modelName: 'vit-tiny' })).toThrow(
      'This run file was made with model "resnet-cifar" (fingerprint 01234567…), not the loaded model "vit-tiny" (fingerprint aaaabbbb…).');
    expect(() => checkRunMatches(run, { ...loaded, dataFingerprint: '1111222233334444' })).toThrow(
      'This run file was made with data set "cifar10-test" (fingerprint fedcba98…), not the loaded data set (fingerprint 11112222…).');
    expect(() => checkRunMatches(run, { ...loaded, componentCount: 64 })).toThrow(
      'This run file studies 70 components, but the loaded model has 64 in the run\'s layers.');
  });
});

describe('mergeRuns', () => {
  const rowsOfShard = {
    interleaved: (count: number, index: number, k: number) => range(0, count).filter((r) => r % k === index),
    contiguous: (count: number, index: number, k: number) => range(Math.floor(count * index / k), Math.floor(count * (index + 1) / k)),
  };

  for (const [layout, rowsOf] of Object.entries(rowsOfShard)) {
    it(`rebuilds the unsharded run from ${layout} shards saved to files`, () => {
      const shards = [0, 1, 2].map((index) => {
        const shard = emptyRun({ index, count: 3 });
        computeRows(shard.train, rowsOf(SETTINGS.trainMasks, index, 3));
        computeRows(shard.validation, rowsOf(SETTINGS.valMasks, index, 3));
        return decodeRunFile(encodeRunFile(shard));
      });
      const two = mergeRuns(shards[0], shards[2]);
      expect(two.shard).toBeUndefined();
      expect(runProgress(two).trainDone).toBe(rowsOf(24, 0, 3).length + rowsOf(24, 2, 3).length);
      const merged = mergeRuns(two, shards[1]);
      expect(merged).toEqual(completeRun());
      expect(decodeRunFile(encodeRunFile(merged))).toEqual(completeRun());
    });
  }

  it('accepts rows computed twice when they agree, and keeps an unfinished shard a shard', () => {
    const a = emptyRun({ index: 0, count: 2 });
    const b = emptyRun({ index: 0, count: 2 });
    computeRows(a.train, [0, 2, 4]);
    computeRows(b.train, [2, 6]);
    b.train.outputs[2 * n + 1] *= 1 + 2e-5;
    const merged = mergeRuns(a, b);
    expect(merged.shard).toEqual({ index: 0, count: 2 });
    expect(Array.from(merged.train.done.subarray(0, 8))).toEqual([1, 0, 1, 0, 1, 0, 1, 0]);
    expect(merged.train.outputs.subarray(6 * n, 7 * n)).toEqual(b.train.outputs.subarray(6 * n, 7 * n));
  });

  it('refuses rows computed twice that disagree', () => {
    const a = emptyRun();
    const b = emptyRun();
    computeRows(a.train, [5]);
    computeRows(b.train, [5]);
    b.train.outputs[5 * n + 3] += 0.5;
    expect(() => mergeRuns(a, b)).toThrow(/^The runs disagree on training mask 5, example 3: .* \(more than 0.0001 relative\)/);
  });

  it('drops the fit, which no longer covers every row', () => {
    const merged = mergeRuns(withFit(completeRun()), emptyRun());
    expect(merged.fit).toBeUndefined();
    expect(merged.train.outputs).toEqual(completeRun().train.outputs);
  });

  it('refuses runs with different settings, models or data', () => {
    const other = (edit: Partial<RunSettings>) => ({ ...emptyRun(), settings: { ...SETTINGS, ...edit } });
    expect(() => mergeRuns(emptyRun(), other({ alpha: 0.05 }))).toThrow(
      'Cannot merge these runs: setting "alpha" differs (0.1 vs 0.05). Only shards of one run (same model, data and settings) can be merged.');
    expect(() => mergeRuns(emptyRun(), other({ examples: [4, 17, 9, 0, 32] }))).toThrow('setting "examples" differs ([4,17,9,0,31] vs [4,17,9,0,32])');
    expect(() => mergeRuns(emptyRun(), { ...emptyRun(), model: { name: 'vit-tiny', fingerprint: 'aaaabbbbccccdddd' } })).toThrow(
      'Cannot merge these runs: they were made with different models ("resnet-cifar", fingerprint 01234567… vs "vit-tiny", fingerprint aaaabbbb…)');
    expect(() => mergeRuns(emptyRun(), { ...emptyRun(), data: { name: 'other', fingerprint: 'aaaabbbbccccdddd' } })).toThrow('different data sets');
  });
});

describe('fingerprintBytes', () => {
  const text = (s: string) => new TextEncoder().encode(s);

  it('is 64-bit FNV-1a over each part followed by its length (pinned values)', () => {
    // Checked against an independent Python implementation; changing these invalidates saved runs.
    expect(fingerprintBytes()).toBe('cbf29ce484222325'); // the FNV-1a offset basis
    expect(fingerprintBytes(text('a'))).toBe('dedf9f982e43402d');
    expect(fingerprintBytes(text('foobar'), Float32Array.from([1.5, -2]))).toBe('67d7eb67a99d0847');
  });

  it('depends on content and part boundaries, not on the view type', () => {
    const weights = Float32Array.from({ length: 1000 }, (_, k) => Math.sin(k));
    const base = fingerprintBytes(weights);
    expect(base).toMatch(/^[0-9a-f]{16}$/);
    expect(fingerprintBytes(new Uint8Array(weights.buffer))).toBe(base);
    expect(fingerprintBytes(new DataView(weights.buffer))).toBe(base);
    const flipped = weights.slice();
    new Uint8Array(flipped.buffer)[1234] ^= 1;
    expect(fingerprintBytes(flipped)).not.toBe(base);
    expect(fingerprintBytes(text('ab'), text('c'))).not.toBe(fingerprintBytes(text('a'), text('bc')));
    expect(fingerprintBytes(weights.subarray(10, 20))).toBe(fingerprintBytes(weights.slice(10, 20)));
  });
});
