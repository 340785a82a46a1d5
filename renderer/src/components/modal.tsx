import { useEffect, useId, useRef, type ReactNode } from 'react';

interface ModalProps {
  open: boolean;
  title: ReactNode;
  onClose: () => void;
  /** False while work is running that must be cancelled first (Escape is then ignored). */
  closable?: boolean;
  /** 'drawer' slides in from the right edge, for details beside the page. */
  variant?: 'dialog' | 'drawer';
  children: ReactNode;
}

/**
 * A native <dialog> shown with showModal(): the browser traps focus, restores
 * it on close and closes on Escape, which a hand-made overlay gets wrong.
 */
export function Modal({ open, title, onClose, closable = true, variant = 'dialog', children }: ModalProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  return (
    <dialog
      ref={ref}
      className={`modal modal-${variant}`}
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault();
        if (closable) onClose();
      }}
      onClick={(e) => {
        // A click on the backdrop lands on the dialog element itself. Only the
        // drawer closes that way: a stray click must not throw away a filled-in form.
        if (variant === 'drawer' && e.target === e.currentTarget && closable) onClose();
      }}
    >
      <div className="modal-body">
        <header className="modal-header">
          <h2 id={titleId}>{title}</h2>
          <button type="button" className="icon-button" aria-label="Close" onClick={onClose} disabled={!closable}>
            ×
          </button>
        </header>
        {children}
      </div>
    </dialog>
  );
}
