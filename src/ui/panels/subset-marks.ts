/** Which data-set images carry a described pattern (dataset.json "subsetInfo" with a region), and where. */
import type { SubsetInfo } from '../../coar/dataset';
import type { DatasetView } from '../../worker/protocol/protocol';

export interface SubsetMark {
  subset: string;
  info: SubsetInfo;
}

/** The first described subset with a region that holds data-set image `index`, or null. */
export function markOf(dataset: Pick<DatasetView, 'subsets' | 'subsetInfo'>, index: number): SubsetMark | null {
  for (const [subset, info] of Object.entries(dataset.subsetInfo ?? {})) {
    const range = dataset.subsets[subset];
    if (info.region && range && index >= range[0] && index < range[1]) return { subset, info };
  }
  return null;
}
