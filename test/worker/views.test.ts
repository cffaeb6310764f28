import { describe, expect, it } from 'vitest';
import { accuracy, checkComponentList, countDone, flips, revertNewRows } from '../../src/worker/jobs/views';
import { transferablesOf } from '../../src/worker/protocol/protocol';

describe('display helpers', () => {
  it('measures accuracy and flips', () => {
    const labels = [0, 1, 2, 3];
    expect(accuracy([0, 1, 0, 0], labels)).toBe(0.5);
    expect(accuracy([], [])).toBeNaN();
    expect(flips(labels, [0, 1, 0, 0], [0, 2, 2, 0])).toEqual({ fixed: [2], broken: [1] });
  });

  it('reverts rows finished since a snapshot', () => {
    const before = Uint8Array.from([1, 0, 0, 1]);
    const done = Uint8Array.from([1, 1, 1, 1]);
    expect(revertNewRows(done, before)).toBe(2);
    expect(Array.from(done)).toEqual([1, 0, 0, 1]);
    expect(countDone(done)).toBe(2);
  });

  it('validates component lists with readable errors', () => {
    expect(checkComponentList([5, 1, 5, 3], 10)).toEqual([1, 3, 5]);
    expect(() => checkComponentList([10], 10)).toThrow(/Component 10 does not exist \(there are 10, numbered 0–9\)/);
    expect(() => checkComponentList([1.5], 10)).toThrow(/does not exist/);
    expect(() => checkComponentList('3', 10)).toThrow(/list of indices/);
  });

  it('lists each buffer to transfer once, skipping empty ones', () => {
    const a = new Float32Array(4);
    const view = new Uint8Array(a.buffer, 4, 4);
    const b = new Int32Array(2);
    expect(transferablesOf(a, view, b, null, new Float32Array(0))).toEqual([a.buffer, b.buffer]);
  });
});
