/** Questions the page asks once, on load: resume a run that stopped early, and load a model a link names. */
import { useState } from 'react';
import type { StoredRunMeta } from '../../worker/protocol/protocol';
import { ResumeOffer } from './ResumeOffer';
import { UrlModelConfirm } from './UrlModelConfirm';
import type { useExplorer } from '../state/use-explorer';
import { isUnfinished } from '../state/use-stored-runs';
import type { UrlPresets } from '../state/url-state';

interface Props {
  presets: UrlPresets;
  explorer: ReturnType<typeof useExplorer>;
  /** The runs stored when the page loaded (null until listed). */
  initialRuns: StoredRunMeta[] | null;
  offerResume: boolean;
  /** A linked model without linked images: the images are asked for. */
  onModelWithoutData: (modelUrl: string) => void;
}

export function Offers({ presets, explorer: x, initialRuns, offerResume, onModelWithoutData }: Props) {
  const [resumeDone, setResumeDone] = useState(false);
  const [urlDone, setUrlDone] = useState(false);
  const busy = x.loading !== null || x.job !== null;
  // Only until something else runs or is opened: then the offer is out of date.
  const untouched = x.ended === 0 && !x.job && !x.runs.live && !x.partial;
  const unfinished = offerResume && !resumeDone && untouched && x.loaded ? initialRuns?.find(isUnfinished) ?? null : null;
  const { modelUrl, dataUrl } = presets;

  const acceptUrl = () => {
    setUrlDone(true);
    if (!modelUrl) return;
    if (dataUrl) void x.loadCustom({ kind: 'url', url: modelUrl }, { kind: 'url', url: dataUrl }, () => {});
    else onModelWithoutData(modelUrl);
  };
  return (
    <>
      {modelUrl && !urlDone && <UrlModelConfirm modelUrl={modelUrl} dataUrl={dataUrl} busy={busy} onAccept={acceptUrl} onDismiss={() => setUrlDone(true)} />}
      {unfinished && (
        <ResumeOffer
          meta={unfinished} busy={busy}
          onAccept={() => { setResumeDone(true); void x.openStored(unfinished, true); }}
          onDismiss={() => setResumeDone(true)}
        />
      )}
    </>
  );
}
