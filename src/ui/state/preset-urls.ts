/** Absolute URLs of a bundled preset's files (the worker resolves nothing against its own script URL). */
import { APP_CONFIG } from '../../app-config';
import type { DemoUrls, WorkspaceSource } from '../../worker/protocol/protocol';
import { PRESET_NAMES, type PresetName } from './url-state';

const siteUrl = (path: string) => new URL(import.meta.env.BASE_URL + path, location.href).href;

export function presetUrls(name: PresetName): DemoUrls {
  const files = APP_CONFIG.presets[name];
  return { model: siteUrl(files.model), data: siteUrl(files.data), run: siteUrl(files.run) };
}

/** The bundled preset a workspace came from, or null (the user's own, or a preset this version lacks). */
export function presetOf(source: Pick<WorkspaceSource, 'kind'> & { preset?: string } | null): PresetName | null {
  const name = source?.kind === 'preset' ? source.preset ?? '' : '';
  return (PRESET_NAMES as string[]).includes(name) ? name as PresetName : null;
}
