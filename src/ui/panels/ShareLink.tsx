/** "Copy link": the address that reopens this view (model, example, ablated components, run settings). */
import { useState } from 'react';
import type { ShareLink as Link } from '../state/share-url';

export function ShareLink({ makeLink }: { makeLink: () => Link }) {
  const [link, setLink] = useState<Link | null>(null);
  const [copied, setCopied] = useState(false);
  const share = () => {
    const next = makeLink();
    setLink(next);
    setCopied(false);
    // The clipboard may be refused (permissions, plain http): the link stays in the box to copy by hand.
    if (next.url) navigator.clipboard?.writeText(next.url).then(() => setCopied(true), () => setCopied(false));
  };
  return (
    <div className="share-link">
      <button type="button" onClick={share} data-testid="share-link">Copy link</button>
      {link?.url && (
        <input readOnly value={link.url} onFocus={(e) => e.target.select()} aria-label="Link to this view" data-testid="share-url" />
      )}
      {link && (copied || link.note) && (
        <span className="muted share-note" data-testid="share-note">{copied ? 'Copied. ' : ''}{link.note}</span>
      )}
    </div>
  );
}
