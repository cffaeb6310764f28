import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { makeDataset, parseDatasetMeta, type DatasetMeta } from '../../src/coar/dataset';
import { datasetFingerprint } from '../../src/coar/fingerprint';

const base: DatasetMeta = {
  format: 'coar-images-v1', name: 't', count: 4, height: 6, width: 6, channels: 1, classNames: ['a', 'b'],
  normalize: { kind: '0-1' }, images: 'i.u8', labels: 'l.u8', subsets: { clean: [0, 2], triggered: [2, 4] },
};
const pixels = new Uint8Array(4 * 36).map((_, i) => i % 251);
const labels = Uint8Array.from([0, 1, 0, 1]);

describe('subsetInfo: what a subset carries, and where', () => {
  it('is accepted inside the image and left out of the fingerprint', () => {
    const info = { triggered: { description: 'a 2×2 white square', region: { top: 4, left: 4, height: 2, width: 2 } } };
    const described = makeDataset({ ...base, subsetInfo: info }, pixels, labels);
    expect(described.meta.subsetInfo).toEqual(info);
    expect(datasetFingerprint(described)).toBe(datasetFingerprint(makeDataset(base, pixels, labels)));
  });

  it('refuses a region outside the image, a subset it does not name, and empty or oversized words', () => {
    const bad = (subsetInfo: unknown) => () => makeDataset({ ...base, subsetInfo: subsetInfo as DatasetMeta['subsetInfo'] }, pixels, labels);
    expect(bad({ triggered: { description: 'x', region: { top: 5, left: 4, height: 2, width: 2 } } })).toThrow(/"region" must be \{top, left, height, width\} inside the 6×6 image/);
    expect(bad({ triggered: { description: 'x', region: { top: 0, left: 0, height: 0, width: 2 } } })).toThrow(/"region"/);
    expect(bad({ poisoned: { description: 'x' } })).toThrow(/describes a subset the data set does not name/);
    expect(bad({ triggered: { description: '' } })).toThrow(/"description" must be text of 1 to 400 characters/);
    expect(bad({ triggered: { description: 'x'.repeat(401) } })).toThrow(/"description"/);
  });

  it('describes the bundled backdoor trigger without changing the data the shipped runs were made on', () => {
    const meta = parseDatasetMeta(readFileSync('public/data/fashion-mnist-backdoor-test/dataset.json', 'utf8'));
    expect(meta.subsetInfo?.triggered.region).toEqual({ top: 23, left: 23, height: 4, width: 4 });
    expect(meta.subsetInfo?.triggered.description).toMatch(/4×4 white square near the bottom-right corner/);
  });
});
