/** The Edit panel's choice of target examples (to change), reference examples (to keep) and direction. */
import type { EditDirection } from '../../coar/edit';
import type { EditChoice, ReferenceKind, TargetKind } from '../state/edit-spec';

interface Props {
  choice: EditChoice;
  classNames: string[];
  subsets: string[];
  /** Data-set index of the gallery's selected example. */
  selectedIndex: number;
  disabled: boolean;
  onChange: (next: Partial<EditChoice>) => void;
}

function ClassSelect({ value, classNames, onChange, testId, disabled }: { value: number; classNames: string[]; onChange: (c: number) => void; testId: string; disabled: boolean }) {
  return (
    <select value={value} onChange={(e) => onChange(Number(e.target.value))} data-testid={testId} disabled={disabled} aria-label="Class">
      {classNames.map((name, c) => <option key={c} value={c}>{c}: {name}</option>)}
    </select>
  );
}

function SubsetSelect({ value, subsets, onChange, testId, disabled }: { value: string; subsets: string[]; onChange: (s: string) => void; testId: string; disabled: boolean }) {
  return (
    <select value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId} disabled={disabled} aria-label="Subset">
      {subsets.map((s) => <option key={s} value={s}>{s}</option>)}
    </select>
  );
}

export function EditForm({ choice: c, classNames, subsets, selectedIndex, disabled, onChange }: Props) {
  return (
    <div className="edit-form">
      <label className="edit-field">
        <span className="field-name">Target <span className="muted">(behaviour to change)</span></span>
        <span className="field-controls">
          <select value={c.targetKind} onChange={(e) => onChange({ targetKind: e.target.value as TargetKind })} data-testid="edit-target-kind" disabled={disabled}>
            <option value="selected">the selected example (#{selectedIndex})</option>
            <option value="example">examples by data-set index</option>
            <option value="class">every example of a class</option>
            <option value="misclassified">all misclassified of a class</option>
            {subsets.length > 0 && <option value="subset">a data-set subset</option>}
          </select>
          {c.targetKind === 'example' && (
            <input type="text" value={c.targetExamples} placeholder="e.g. 3, 5, 9" onChange={(e) => onChange({ targetExamples: e.target.value })} data-testid="edit-target-examples" disabled={disabled} aria-label="Data-set indices" className="examples-input" />
          )}
          {(c.targetKind === 'class' || c.targetKind === 'misclassified') && (
            <ClassSelect value={c.targetClass} classNames={classNames} onChange={(v) => onChange({ targetClass: v })} testId="edit-target-class" disabled={disabled} />
          )}
          {c.targetKind === 'subset' && <SubsetSelect value={c.targetSubset} subsets={subsets} onChange={(v) => onChange({ targetSubset: v })} testId="edit-target-subset" disabled={disabled} />}
        </span>
      </label>
      <label className="edit-field">
        <span className="field-name">Reference <span className="muted">(behaviour to keep)</span></span>
        <span className="field-controls">
          <select value={c.referenceKind} onChange={(e) => onChange({ referenceKind: e.target.value as ReferenceKind })} data-testid="edit-reference-kind" disabled={disabled}>
            <option value="rest">the rest of the run's examples</option>
            <option value="sample">a random sample of the rest</option>
            <option value="class">every example of a class</option>
            {subsets.length > 0 && <option value="subset">a data-set subset</option>}
          </select>
          {c.referenceKind === 'sample' && (
            <input type="number" min={1} value={c.referenceSample} onChange={(e) => onChange({ referenceSample: e.target.value })} data-testid="edit-reference-sample" disabled={disabled} aria-label="Sample size" className="small" />
          )}
          {c.referenceKind === 'class' && (
            <ClassSelect value={c.referenceClass} classNames={classNames} onChange={(v) => onChange({ referenceClass: v })} testId="edit-reference-class" disabled={disabled} />
          )}
          {c.referenceKind === 'subset' && <SubsetSelect value={c.referenceSubset} subsets={subsets} onChange={(v) => onChange({ referenceSubset: v })} testId="edit-reference-subset" disabled={disabled} />}
        </span>
      </label>
      <label className="edit-field">
        <span className="field-name">Goal</span>
        <span className="field-controls">
          <select value={c.direction} onChange={(e) => onChange({ direction: e.target.value as EditDirection })} data-testid="edit-direction" disabled={disabled}>
            <option value="raise">switching off raises the target's margin (fix errors)</option>
            <option value="lower">switching off lowers the target's margin (forget)</option>
          </select>
        </span>
      </label>
    </div>
  );
}
