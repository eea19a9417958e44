import type { LabelTree } from './labels.ts';

/** The labels found in the folder: genres with their subgenres and song counts, and imbalance warnings. */
export function LabelTreeView({ tree, unlabelled }: { tree: LabelTree; unlabelled: string[] }) {
  return (
    <section className="card" aria-label="Labels">
      <h3>Labels found</h3>
      <ul className="label-tree">
        {tree.genres.map((g) => (
          <li key={g.genre}>
            <strong>{g.genre}</strong> — {g.songs} {g.songs === 1 ? 'song' : 'songs'}
            {g.subgenres.length > 0 && (
              <ul>
                {g.subgenres.map((s) => (
                  <li key={s.name}>
                    {s.name} — {s.songs} {s.songs === 1 ? 'song' : 'songs'}
                  </li>
                ))}
              </ul>
            )}
          </li>
        ))}
      </ul>
      {tree.warnings.length > 0 && (
        <ul className="warnings" aria-label="Warnings">
          {tree.warnings.map((w) => (
            <li key={w.message} className="warn-text">
              ⚠ {w.message}
            </li>
          ))}
        </ul>
      )}
      {unlabelled.length > 0 && (
        <p className="warn-text">
          {unlabelled.length} file{unlabelled.length === 1 ? '' : 's'} directly in the chosen folder (no label folder) will be left out.
        </p>
      )}
    </section>
  );
}
