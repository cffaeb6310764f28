/** Switches between the bundled presets (model, data set, precomputed run); the address follows (?preset=…). */
import { APP_CONFIG } from '../../app-config';
import { PRESET_NAMES, type PresetName } from '../state/url-state';

interface Props {
  preset: PresetName;
  /** The name of the user's own model when it is shown instead of a preset, else null. */
  custom: string | null;
  /** Why switching is not possible now (a live run or a load in progress), or null. */
  busy: string | null;
  onSwitch: (name: PresetName) => void;
}

export function PresetSwitcher({ preset, custom, busy, onSwitch }: Props) {
  return (
    <label className="preset-switcher" title={busy ?? 'Loads another model, data set and precomputed run in the worker'}>
      <span className="muted">Model:</span>{' '}
      <select value={custom === null ? preset : ''} onChange={(e) => onSwitch(e.target.value as PresetName)} disabled={busy !== null} data-testid="preset-switcher">
        {custom !== null && <option value="" disabled>Your model: {custom}</option>}
        {PRESET_NAMES.map((name) => <option key={name} value={name}>{APP_CONFIG.presets[name].label}</option>)}
      </select>
    </label>
  );
}
