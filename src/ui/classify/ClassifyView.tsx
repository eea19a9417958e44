import { useCallback, useRef, useState } from 'react';
import { FilePickers } from '../files/FilePickers.tsx';
import { useFileDrop } from '../files/useFileDrop.ts';
import type { PickedFile } from '../files/collect.ts';
import { ProgressBar } from '../common/ProgressBar.tsx';
import { analyseBatch, newFileItems, type FileItem } from '../pipeline/batch.ts';
import { BASE_COLUMNS, FileTable } from './FileTable.tsx';

const FINISHED = new Set(['done', 'error', 'cancelled']);

export function ClassifyView({ active = true }: { active?: boolean }) {
  const [items, setItems] = useState<FileItem[]>([]);
  const [running, setRunning] = useState(false);
  const controller = useRef<AbortController | null>(null);

  const batchesRunning = useRef(0);

  const onFiles = useCallback((picked: PickedFile[]) => {
    const fresh = newFileItems(picked);
    setItems((all) => [...all, ...fresh]);
    const abort = (controller.current ??= new AbortController());
    batchesRunning.current++;
    setRunning(true);
    analyseBatch(fresh, {
      featureSet: 'gtzan',
      segmentSeconds: 10,
      logMelPatchSeconds: null,
      signal: abort.signal,
      onUpdate: (item) => setItems((all) => all.map((i) => (i.id === item.id ? item : i))),
    }).finally(() => {
      if (--batchesRunning.current === 0) {
        controller.current = null;
        setRunning(false);
      }
    });
  }, []);

  const dragging = useFileDrop(onFiles, active);
  const done = items.filter((i) => FINISHED.has(i.state)).length;
  const failed = items.filter((i) => i.state === 'error').length;

  return (
    <div>
      <h2>Classify</h2>
      <div className="drop-zone card">
        <p>Drop songs or folders anywhere on this page, or choose them. Nothing leaves your computer.</p>
        <FilePickers onFiles={onFiles} folderLabel="Choose a folder of songs" />
      </div>
      {dragging && (
        <div className="drop-overlay" aria-hidden="true">
          Drop to classify
        </div>
      )}
      {items.length > 0 && (
        <section className="card" aria-label="Files">
          <ProgressBar
            label="Files analysed"
            done={done}
            total={items.length}
            detail={failed > 0 ? `${failed} failed` : undefined}
            running={running}
            onCancel={() => controller.current?.abort()}
          />
          <FileTable caption="Files and their analysis" items={items} columns={BASE_COLUMNS} />
          {!running && (
            <button type="button" onClick={() => setItems([])}>
              Clear the list
            </button>
          )}
        </section>
      )}
    </div>
  );
}
