import { useId, useRef } from 'react';
import { filesFromInput, hasDirectoryPicker, pickDirectory, type PickedFile } from './collect.ts';

interface Props {
  onFiles(files: PickedFile[]): void;
  /** Offer the file picker (Classify); a folder picker is always offered. */
  allowFiles?: boolean;
  filesLabel?: string;
  folderLabel?: string;
  disabled?: boolean;
}

/** "Choose files" and "Choose a folder" (showDirectoryPicker where the browser has it, else webkitdirectory). */
export function FilePickers({ onFiles, allowFiles = true, filesLabel = 'Choose files', folderLabel = 'Choose a folder', disabled }: Props) {
  const id = useId();
  const folderInput = useRef<HTMLInputElement>(null);
  const take = (input: HTMLInputElement) => {
    const files = filesFromInput(input.files);
    input.value = '';
    if (files.length > 0) onFiles(files);
  };
  const chooseFolder = async () => {
    if (!hasDirectoryPicker()) {
      folderInput.current?.click();
      return;
    }
    try {
      const files = await pickDirectory();
      if (files.length > 0) onFiles(files);
    } catch (error) {
      // The user closed the picker: nothing to do. Any other failure falls back to the plain folder input.
      if (!(error instanceof DOMException && error.name === 'AbortError')) folderInput.current?.click();
    }
  };
  return (
    <div className="row">
      {allowFiles && (
        <>
          <input
            id={`${id}-files`}
            className="visually-hidden file-input"
            type="file"
            multiple
            disabled={disabled}
            onChange={(e) => take(e.currentTarget)}
          />
          <label htmlFor={`${id}-files`} className="button primary" aria-disabled={disabled}>
            {filesLabel}
          </label>
        </>
      )}
      <button type="button" onClick={chooseFolder} disabled={disabled}>
        {folderLabel}
      </button>
      <input
        ref={folderInput}
        aria-label={`${folderLabel} (folder input)`}
        className="visually-hidden"
        tabIndex={-1}
        type="file"
        multiple
        disabled={disabled}
        {...{ webkitdirectory: '', directory: '' }}
        onChange={(e) => take(e.currentTarget)}
      />
    </div>
  );
}
