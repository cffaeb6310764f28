/**
 * The engine's tfjs-free core (`coar-engine/core`): what a page, a tool or a server can use without
 * loading TensorFlow.js — settings and their checks, ablation masks, component names, run files
 * (read, write, merge, export), example selections, COAR-Edit's scores and rankings, the registries of component
 * kinds, ablation kinds and baselines (names, labels, colours), and the input limits.
 *
 * Nothing exported here loads tfjs: every module re-exported below imports it for types only, which
 * the import rules in `.dependency-cruiser.cjs` check (`npm test`). The types of the tfjs-backed
 * parts that describe plain data (a model summary, an edit's outcome, …) are re-exported as types.
 * The browser app imports the engine through this file only.
 *
 * @packageDocumentation
 * @module core
 */

// Settings, masks and sizes.
export * from './settings';
export * from './masks';
export * from './random';
export * from './limits';
export * from './run-defaults';
export * from './tuning';

// Component names and the registries.
export * from './component-names';
export * from './component-kinds';
export * from './ablation-kinds';
export * from './baselines';

// Run files: the format, merging shards, exports.
export * from './runfile';
export * from './run-merge';
export * from './export';

// Selections, COAR-Edit's scores, rankings and verdicts, correlations.
export * from './selection';
export * from './edit';
export * from './edit-judge';
export * from './evaluate';

// What margins are taken on; labels and the class order; image options.
export * from './scores';
export * from './label-order';
export * from './image-labels';
export * from './image-pixels';
export * from './normalization';

// Errors, limits on what is read, printing user-given names.
export * from './errors';
export * from './printable';
export * from './safe-json';
export * from './safe-paths';

// Plain-data types of the tfjs-backed parts (types only: nothing of theirs is loaded).
export type { ModelSummary, LayerSummary, MemoryEstimate } from './model-summary';
export type { DatasetMeta, ImageDataset, Normalization } from './dataset';
export type { ImageConversion, ImageImportReport } from './image-import';
export type { DataCheck } from './data-check';
export type { AttentionPattern } from './attention-pattern';
export type { Attributions, FitReport, GridPoint } from './estimate';
export type { GoalSearch } from './edit-outcome';
export type { MaskCurvePoint } from './curves';
export type { AlphaScore, HeldOutReport } from './heldout';
