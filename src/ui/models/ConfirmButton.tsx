import { useId, useRef, type ReactNode } from 'react';

/**
 * A button that asks first: it opens a modal <dialog> (focus trapped, Escape cancels) with the question, and runs
 * `onConfirm` only when the confirming button is pressed.
 */
export function ConfirmButton({
  label,
  accessibleName,
  question,
  confirmLabel,
  disabled,
  onConfirm,
}: {
  label: string;
  accessibleName?: string;
  question: ReactNode;
  confirmLabel: string;
  disabled?: boolean;
  onConfirm(): void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const questionId = useId();
  return (
    <>
      <button type="button" onClick={() => dialog.current?.showModal()} disabled={disabled} aria-label={accessibleName}>
        {label}
      </button>
      <dialog ref={dialog} aria-labelledby={questionId} className="confirm-dialog">
        <form
          method="dialog"
          onSubmit={(e) => {
            const submitter = (e.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
            if (submitter?.value === 'confirm') onConfirm();
          }}
        >
          <p id={questionId}>{question}</p>
          <div className="row">
            <button type="submit" value="confirm" className="danger">
              {confirmLabel}
            </button>
            <button type="submit" value="cancel" autoFocus>
              Cancel
            </button>
          </div>
        </form>
      </dialog>
    </>
  );
}
