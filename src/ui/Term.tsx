/**
 * A term with its plain-language explanation (glossary.ts), shown on hover, keyboard focus and tap;
 * Escape hides it. The explanation is the term's accessible description, and it is kept inside the
 * window (it never widens the page on a phone).
 */
import { useId, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { GLOSSARY, type TermId } from './glossary';

interface Props {
  id: TermId;
  /** The words shown (default: the glossary's term). */
  children?: ReactNode;
}

export function Term({ id, children }: Props) {
  const tipId = useId();
  const [open, setOpen] = useState(false);
  const [shift, setShift] = useState(0);
  const tip = useRef<HTMLSpanElement>(null);

  useLayoutEffect(() => {
    if (!open || !tip.current) { setShift(0); return; }
    const r = tip.current.getBoundingClientRect();
    const margin = 8;
    const over = r.right - shift - (document.documentElement.clientWidth - margin);
    const under = margin - (r.left - shift);
    setShift(over > 0 ? -Math.min(over, Math.max(0, r.left - shift - margin)) : under > 0 ? under : 0);
    // `shift` is read as it was before this layout: only `open` triggers a re-measure.
  }, [open]);

  return (
    <span
      className="term" tabIndex={0} data-term={id} aria-describedby={tipId}
      onMouseEnter={() => setOpen(true)} onMouseLeave={() => setOpen(false)} onFocus={() => setOpen(true)} onBlur={() => setOpen(false)}
      onClick={(e) => { e.preventDefault(); e.stopPropagation(); setOpen(true); }}
      onKeyDown={(e) => { if (e.key === 'Escape' && open) { e.stopPropagation(); setOpen(false); } }}
    >
      {children ?? GLOSSARY[id].term}
      <span ref={tip} id={tipId} role="tooltip" className={`term-tip${open ? ' open' : ''}`} data-testid={`term-tip-${id}`} style={shift ? { transform: `translateX(${shift}px)` } : undefined}>
        <strong>{GLOSSARY[id].term}</strong>: {GLOSSARY[id].text}
      </span>
    </span>
  );
}
