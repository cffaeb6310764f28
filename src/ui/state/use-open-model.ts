/**
 * "Open your own model": the picked model and its inspection (layers, components, memory), the
 * picked images with the import choices and their preview, and loading both as the workspace.
 * Inspections keep nothing in the worker; only "Explore this model" replaces what is shown.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ImagesInput, ImagesInspection, ModelInput, ModelInspection, Progress } from '../../worker/protocol/protocol';
import { DEFAULT_IMAGE_OPTIONS, imagesInput, type ImageOptions, type ImagesPick } from './image-options';
import { sortPicked, type PickedFile } from './picked-files';
import type { Tone } from './use-messages';
import type { CoarClient } from './worker-client';
import { followLatest } from './follow-latest';

/** Wait this long after the last change of the import choices before asking for a new preview. */
const PREVIEW_DEBOUNCE_MS = 300;

type Push = (tone: Tone, text: string, code?: string) => void;
type LoadCustom = (model: ModelInput, images: ImagesInput, onProgress: (p: Progress) => void) => Promise<boolean>;

export function useOpenModel(client: CoarClient, push: Push, loadCustom: LoadCustom, onLoaded: () => void) {
  const [model, setModel] = useState<{ input: ModelInput; label: string } | null>(null);
  const [inspection, setInspection] = useState<ModelInspection | null>(null);
  const [modelBusy, setModelBusy] = useState<Progress | null>(null);
  const [images, setImages] = useState<ImagesPick | null>(null);
  const [options, setOptions] = useState<ImageOptions>(DEFAULT_IMAGE_OPTIONS);
  const [preview, setPreview] = useState<ImagesInspection | null>(null);
  const [previewBusy, setPreviewBusy] = useState<Progress | null>(null);
  /** The worker's reason the images could not be read with these choices (shown beside them). */
  const [previewError, setPreviewError] = useState<string | null>(null);
  const [loading, setLoading] = useState<Progress | null>(null);
  const latestModel = useRef<number | null>(null);
  const latestPreview = useRef<number | null>(null);

  const pickModel = useCallback((input: ModelInput, label: string) => {
    setModel({ input, label });
    setInspection(null);
    setModelBusy({ stage: 'Reading the model' });
    const job = client.request<'inspect-model'>({ type: 'inspect-model', model: input }, setModelBusy);
    followLatest(latestModel, job, (result) => {
      setInspection(result);
      setModelBusy(null);
    }, (error) => {
      setModelBusy(null);
      push('error', error.message, error.code);
    });
  }, [client, push]);

  const changeOptions = useCallback((change: Partial<ImageOptions>) => setOptions((o) => ({ ...o, ...change })), []);

  /** What the last pick of images brought by itself (label CSV, class names); the next pick of images undoes it. */
  const derived = useRef<{ csv: ImageOptions['csv']; classNames: string | null }>({ csv: null, classNames: null });

  /** Picked images; labels.csv among them gives the labels, classes.txt / class_names.txt the class names. */
  const pickImages = useCallback(async (files: PickedFile[], folder: string | null) => {
    const sorted = sortPicked(files, false);
    const csv = sorted.csv ? { name: sorted.csv.path, text: await sorted.csv.file.text() } : null;
    const classNames = sorted.classNames ? await sorted.classNames.file.text() : null;
    // Files without images (a CSV or class names alone) add to the images picked before.
    const replaces = sorted.images.length > 0;
    const before = derived.current;
    derived.current = replaces ? { csv, classNames } : { csv: csv ?? before.csv, classNames: classNames ?? before.classNames };
    setOptions((o) => {
      const next: ImageOptions = { ...o };
      if (replaces && before.csv && o.csv === before.csv) {
        next.csv = null;
        if (o.labels === 'csv') next.labels = 'folder';
      }
      if (replaces && before.classNames !== null && o.classNames === before.classNames) next.classNames = '';
      if (csv) {
        next.labels = 'csv';
        next.csv = csv;
      }
      if (classNames !== null) next.classNames = classNames;
      return next;
    });
    if (replaces) setImages({ kind: 'files', files: sorted.images, folder });
  }, []);

  /** Dropped files: model.json and weight shards go to the model, the rest to the images. */
  const pickDropped = useCallback(async (files: PickedFile[]) => {
    const { model: modelFiles } = sortPicked(files, true);
    const folder = modelFiles[0]?.root;
    if (modelFiles.length) pickModel({ kind: 'files', files: modelFiles.map((f) => f.file), ...(folder ? { folder } : {}) }, modelFiles.map((f) => f.path).join(', '));
    const rest = files.filter((f) => !modelFiles.includes(f));
    if (rest.length) await pickImages(rest, null);
  }, [pickModel, pickImages]);

  const pickImagesUrl = useCallback((url: string) => setImages({ kind: 'url', url }), []);

  const target = inspection ? { height: inspection.summary.inputShape[1], width: inspection.summary.inputShape[2], channels: inspection.summary.inputShape[3] } : null;
  const built = images ? imagesInput(images, options) : null;
  const input = built && 'input' in built ? built.input : null;
  const problem = (built && 'problem' in built ? built.problem : null) ?? previewError;

  // A new preview whenever the images, the choices or the model's input change (older previews are cancelled).
  useEffect(() => {
    if (latestPreview.current !== null) void client.cancel(latestPreview.current);
    latestPreview.current = null;
    setPreview(null);
    setPreviewBusy(null);
    setPreviewError(null);
    if (!input || !target || target.height === null || target.width === null || target.channels === null) return;
    const size = { height: target.height, width: target.width, channels: target.channels };
    const timer = setTimeout(() => {
      setPreviewBusy({ stage: 'Reading the images' });
      const job = client.request<'inspect-images'>({ type: 'inspect-images', images: input, target: size }, setPreviewBusy);
      followLatest(latestPreview, job, (result) => {
        setPreview(result);
        setPreviewBusy(null);
      }, (error) => {
        setPreviewBusy(null);
        if (error.code !== 'cancelled') setPreviewError(error.message);
      });
    }, PREVIEW_DEBOUNCE_MS);
    return () => clearTimeout(timer);
    // `input` is rebuilt every render; what it is made of (the pick and the choices) decides when to ask again.
  }, [images, options, inspection, client]);

  const imageClasses = preview?.dataset.classNames.length ?? 0;
  const modelClasses = inspection?.summary.classCount ?? 0;
  const classMismatch = imageClasses > 0 && modelClasses > 0 && imageClasses !== modelClasses
    ? `The images have ${imageClasses} classes but the model outputs ${modelClasses}: list the model's ${modelClasses} class names, in its output order, under "Class names" (each image's label must be one of them), or pick images of the model's classes.`
    : null;
  const canLoad = Boolean(model && inspection?.memory.fits && input && preview && !classMismatch && !loading && !modelBusy && !previewBusy);
  /** Why "Explore this model" cannot be used yet, or null. */
  const waiting = !inspection ? (modelBusy ? 'Reading the model first…' : 'Pick a model first.')
    : !images ? 'Choose images first.'
      : problem ? 'Fix the image choices above first.'
        : classMismatch ? "The images' classes do not match the model's outputs (see above)."
          : !canLoad ? "Possible once the images' preview is shown." : null;

  const explore = useCallback(async () => {
    if (!model || !input) return;
    setLoading({ stage: 'Loading your model' });
    const ok = await loadCustom(model.input, input, setLoading);
    setLoading(null);
    if (ok) onLoaded();
  }, [model, input, loadCustom, onLoaded]);

  /** Reloads the same model and images with these class names (the label-order check's offer). */
  const applyClassOrder = useCallback(async (classNames: string[]) => {
    if (!model || !images) return;
    const next: ImageOptions = { ...options, classNames: classNames.join('\n') };
    setOptions(next);
    const rebuilt = imagesInput(images, next);
    if (!('input' in rebuilt)) return push('error', rebuilt.problem, 'label-order');
    setLoading({ stage: 'Loading your images with the new class order' });
    await loadCustom(model.input, rebuilt.input, setLoading);
    setLoading(null);
  }, [model, images, options, loadCustom, push]);

  return {
    applyClassOrder,
    model, inspection, modelBusy, pickModel, images, options, changeOptions, pickImages, pickDropped, pickImagesUrl,
    problem, preview, previewBusy, classMismatch, canLoad, waiting, loading, explore,
  };
}
