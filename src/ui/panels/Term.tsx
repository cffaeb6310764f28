/**
 * A term with its plain-language explanation (glossary.ts), shown on hover, keyboard focus and tap;
 * Escape hides it. The explanation is the term's accessible description. It is placed in the
 * window (fixed position, below the term or above when there is no room), so it never widens the
 * page on a phone; scrolling hides it.
 */
import { useEffect, useId, useLayoutEffect, useRef, useState, type CSSProperties, type ReactNode } from 'react';
import { GLOSSARY, type TermId } from '../format/glossary';

interface Props {
  id: TermId;
  /** The words shown (default: the glossary's term). */
  children?: ReactNode;
}

const MARGIN = 8;

export function Term({ id, children }: Props) {
  const tipId = useId();
  const [open, setOpen] = useState(false);
  const [place, setPlace] = useState<CSSProperties | null>(null);
  const term = useRef<HTMLSpanElement>(null);
  const tip = useRef<HTMLSpanElement>(null);

  useLayoutEffect(() => {
    if (!open || !term.current || !tip.current) { setPlace(null); return; }
    const t = term.current.getBoundingClientRect();
    const r = tip.current.getBoundingClientRect();
    const width = document.documentElement.clientWidth;
    const height = document.documentElement.clientHeight;
    const left = Math.max(MARGIN, Math.min(t.left, width - r.width - MARGIN));
    const below = t.bottom + 4;
    const top = below + r.height > height - MARGIN && t.top - 4 - r.height >= MARGIN ? t.top - 4 - r.height : below;
    setPlace({ left, top });
  }, [open]);

  useEffect(() => {
    if (!open) return;
    const hide = () => setOpen(false);
    window.addEventListener('scroll', hide, { capture: true, passive: true });
    window.addEventListener('resize', hide);
    return () => {
      window.removeEventListener('scroll', hide, { capture: true });
      window.removeEventListener('resize', hide);
    };
  }, [open]);

  return (
    <span
      ref={term} className="term" tabIndex={0} data-term={id} aria-describedby={tipId}
      onMouseEnter={() => setOpen(true)} onMouseLeave={() => setOpen(false)} onFocus={() => setOpen(true)} onBlur={() => setOpen(false)}
      onClick={(e) => { e.preventDefault(); e.stopPropagation(); setOpen(true); }}
      onKeyDown={(e) => { if (e.key === 'Escape' && open) { e.stopPropagation(); setOpen(false); } }}
    >
      {children ?? GLOSSARY[id].term}
      <span
        ref={tip} id={tipId} role="tooltip" className={`term-tip${open ? ' open' : ''}${place ? ' placed' : ''}`} data-testid={`term-tip-${id}`}
        style={place ?? undefined}
      >
        <strong>{GLOSSARY[id].term}</strong>: {GLOSSARY[id].text}
      </span>
    </span>
  );
}
