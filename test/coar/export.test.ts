import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { attributionsCsv, decodeNpy, encodeNpy } from '../../src/coar/export';
import { newRun, type RunData } from '../../src/coar/runfile';
import { DEFAULT_SETTINGS } from '../../src/coar/settings';

const dir = mkdtempSync(join(tmpdir(), 'coar-export-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The first python on the path list that can import numpy. */
const numpyPython = ['python3', '/usr/bin/python3'].find(
  (python) => spawnSync(python, ['-c', 'import numpy'], { stdio: 'ignore' }).status === 0);

/** Runs a Python snippet that has numpy imported and `path` set; returns its stdout parsed as JSON. */
function runNumpy(path: string, code: string): any {
  if (!numpyPython) {
    throw new Error('NumPy is required for the .npy tests: tried python3 and /usr/bin/python3, neither can `import numpy` (pip install numpy; CI installs it).');
  }
  const script = `import json, sys\nimport numpy as np\npath = sys.argv[1]\n${code}`;
  const result = spawnSync(numpyPython, ['-c', script, path], { encoding: 'utf8' });
  expect(result.status, result.stderr).toBe(0);
  return JSON.parse(result.stdout);
}

const LOAD_WITH_NUMPY = `a = np.load(path)
print(json.dumps({'shape': list(a.shape), 'dtype': str(a.dtype), 'c_contiguous': bool(a.flags['C_CONTIGUOUS']), 'values': a.ravel().tolist()}))`;

describe('encodeNpy', () => {
  it('writes a version 1.0 header padded to 64 bytes', () => {
    const bytes = encodeNpy(new Float32Array(6), [2, 3]);
    expect(Array.from(bytes.subarray(0, 8))).toEqual([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
    const headerLength = bytes[8] | (bytes[9] << 8);
    expect((10 + headerLength) % 64).toBe(0);
    const header = new TextDecoder().decode(bytes.subarray(10, 10 + headerLength));
    expect(header).toMatch(/^\{'descr': '<f4', 'fortran_order': False, 'shape': \(2, 3\), \} *\n$/);
    expect(bytes.length).toBe(10 + headerLength + 24);
  });

  it('refuses a shape that does not match the data', () => {
    expect(() => encodeNpy(new Float32Array(5), [2, 3])).toThrow('Cannot write a .npy array of shape (2,3) from 5 values.');
  });

  const cases: [string, Float32Array | Float64Array | Int32Array, number[], string][] = [
    ['float32 attributions (n × N)', Float32Array.from({ length: 7 * 300 }, (_, k) => Math.sin(k) * 1e-3), [7, 300], 'float32'],
    ['float64 vector', Float64Array.from([Math.PI, -1e-300, 1e300, 0.1]), [4], 'float64'],
    ['int32 labels', Int32Array.from([0, -1, 2147483647, -2147483648, 9]), [5], 'int32'],
    ['3-d float32', Float32Array.from({ length: 24 }, (_, k) => k / 7), [2, 3, 4], 'float32'],
  ];
  for (const [label, data, shape, dtype] of cases) {
    it(`loads in real NumPy: ${label}`, () => {
      const path = join(dir, `${label.replace(/\W+/g, '_')}.npy`);
      writeFileSync(path, encodeNpy(data, shape));
      const loaded = runNumpy(path, LOAD_WITH_NUMPY);
      expect(loaded.shape).toEqual(shape);
      expect(loaded.dtype).toBe(dtype);
      expect(loaded.c_contiguous).toBe(true);
      // tolist() prints each element exactly, so the comparison is exact.
      expect(loaded.values).toEqual(Array.from(data));
    });
  }

  it('is indexed by NumPy the way the run stores it (row j = example j)', () => {
    const path = join(dir, 'attributions.npy');
    const weights = Float32Array.from({ length: 3 * 5 }, (_, k) => k);
    writeFileSync(path, encodeNpy(weights, [3, 5]));
    expect(runNumpy(path, 'a = np.load(path)\nprint(json.dumps([float(a[1, 4]), float(a[2].sum())]))')).toEqual([9, 60]);
  });
});

describe('decodeNpy', () => {
  it('round-trips every supported dtype and shape', () => {
    const arrays: [Float32Array | Float64Array | Int32Array, number[]][] = [
      [Float32Array.from([1.5, -2, 3.25, 0]), [2, 2]],
      [Float64Array.from([Math.E]), [1]],
      [Int32Array.from({ length: 12 }, (_, k) => k - 6), [3, 2, 2]],
      [new Float32Array(0), [0, 4]],
    ];
    for (const [data, shape] of arrays) {
      const back = decodeNpy(encodeNpy(data, shape));
      expect(back.shape).toEqual(shape);
      expect(back.data).toEqual(data);
    }
  });

  it('reads files written by NumPy itself', () => {
    const path = join(dir, 'from-numpy.npy');
    runNumpy(path, "np.save(path, np.arange(12, dtype='<f4').reshape(3, 4) / 8)\nprint('null')");
    const fromNumpy = decodeNpy(readFileSync(path));
    expect(fromNumpy.shape).toEqual([3, 4]);
    expect(Array.from(fromNumpy.data)).toEqual(Array.from({ length: 12 }, (_, k) => k / 8));
    runNumpy(path, "np.save(path, np.array([7, -3], dtype='<i4'))\nprint('null')");
    const labels = decodeNpy(readFileSync(path));
    expect(labels.data).toBeInstanceOf(Int32Array);
    expect(labels.shape).toEqual([2]);
    expect(Array.from(labels.data)).toEqual([7, -3]);
  });

  it('rejects other files, unsupported arrays and truncation with clear messages', () => {
    expect(() => decodeNpy(new TextEncoder().encode('COARRUN\0 and more bytes'))).toThrow('This is not a NumPy .npy file');
    const good = encodeNpy(Float32Array.from([1, 2, 3]), [3]);
    expect(() => decodeNpy(good.subarray(0, good.length - 4))).toThrow('The .npy file is truncated: shape (3) needs 12 bytes of data but 8 follow.');
    const withHeader = (dict: string) => {
      const bytes = good.slice();
      const headerLength = bytes[8] | (bytes[9] << 8);
      const header = new TextEncoder().encode(dict.padEnd(headerLength - 1, ' ') + '\n');
      bytes.set(header, 10);
      return bytes;
    };
    expect(() => decodeNpy(withHeader("{'descr': '<i8', 'fortran_order': False, 'shape': (3,), }"))).toThrow(
      "The .npy array has dtype '<i8'; only little-endian float32, float64 and int32 are read.");
    expect(() => decodeNpy(withHeader("{'descr': '<f4', 'fortran_order': True, 'shape': (3,), }"))).toThrow('Fortran order');
  });
});

describe('attributionsCsv', () => {
  const N = 3;
  function fittedRun(): RunData {
    const run = newRun({
      settings: { ...DEFAULT_SETTINGS, scores: 'as-is', trainMasks: 4, valMasks: 2, layers: [], examples: [12, 5] },
      model: { name: 'm', fingerprint: '0000000000000000' },
      data: { name: 'd', fingerprint: '1111111111111111' },
      layers: [{ name: 'conv', className: 'Conv2D', kind: 'conv-filter', count: N, offset: 0 }],
      labels: Int32Array.from([7, 2]),
      baseOutputs: new Float32Array(2),
    });
    run.fit = {
      weights: Float32Array.from([0.1, -2.5, 1e-7, 1 / 3, 0, 123456.789]),
      bias: Float32Array.from([0.5, -0.25]),
      lambda: 0.01,
      validationCorrelation: 0.7,
    };
    return run;
  }

  it('writes a header with quoted names and one row per example', () => {
    const csv = attributionsCsv(fittedRun(), ['conv[0]', 'conv, "odd"', 'conv[2]']);
    const lines = csv.split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe('example,label,bias,conv[0],"conv, ""odd""",conv[2]');
    expect(lines[1]).toBe('12,7,0.5,0.1,-2.5,1e-7');
    expect(lines[2]).toBe('5,2,-0.25,0.33333334,0,123456.79');
    expect(lines[3]).toBe('');
  });

  it('prints numbers that read back as the same float32', () => {
    const run = fittedRun();
    run.fit!.weights = Float32Array.from({ length: 2 * N }, (_, k) => Math.exp(k * 7.3) * Math.sin(k + 1) * 1e-9);
    const rows = attributionsCsv(run, ['a', 'b', 'c']).trim().split('\n').slice(1);
    const read = rows.flatMap((row) => row.split(',').slice(3).map((text) => Math.fround(Number(text))));
    expect(read).toEqual(Array.from(run.fit!.weights));
  });

  it('refuses a run without a fit, or the wrong number of names', () => {
    const unfitted = { ...fittedRun(), fit: undefined };
    expect(() => attributionsCsv(unfitted, ['a', 'b', 'c'])).toThrow('The run has no fitted attributions to export yet: fit it first.');
    expect(() => attributionsCsv(fittedRun(), ['a'])).toThrow('Got 1 component names for a run with 3 components.');
  });
});
