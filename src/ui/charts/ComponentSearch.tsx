/** The heatmap's search box: a component name (layer#channel) or a layer name, found on Enter. */
import { useId, useState, type FormEvent } from 'react';

interface Props {
  /** Runs the search; returns the message to show. An empty query clears it. */
  onSearch: (query: string) => void;
  message: string;
  /** Whether the last search found nothing (the message is then a warning). */
  missed: boolean;
  example: string;
}

export function ComponentSearch({ onSearch, message, missed, example }: Props) {
  const [query, setQuery] = useState('');
  const id = useId();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSearch(query);
  };
  const clear = () => { setQuery(''); onSearch(''); };
  return (
    <form className="component-search" role="search" onSubmit={submit}>
      <label htmlFor={id}>Find a component</label>
      <input id={id} type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder={`e.g. ${example}`} title="A component name (layer#channel) or a layer name"
        data-testid="component-search" autoComplete="off" spellCheck={false} />
      <button type="submit" data-testid="component-search-go">Find</button>
      {message && <button type="button" onClick={clear} data-testid="component-search-clear">Clear</button>}
      <span className={`search-message${missed ? ' missed' : ''}`} role="status" data-testid="search-message">{message}</span>
    </form>
  );
}
