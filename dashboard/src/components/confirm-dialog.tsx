// Asks before an action that cannot be undone (closing a connection, deleting a mock).

import type { ComponentChildren } from 'preact';
import { Modal } from './modal.tsx';

interface Props {
  title: string;
  confirmLabel: string;
  children: ComponentChildren;
  onConfirm(): void;
  onCancel(): void;
}

export function ConfirmDialog({ title, confirmLabel, children, onConfirm, onCancel }: Props) {
  return (
    <Modal title={title} onCancel={onCancel}>
      <div class="confirm-text">{children}</div>
      <div class="buttons">
        <button type="button" onClick={onCancel}>Cancel</button>
        <button type="button" class="danger primary-danger" onClick={onConfirm}>{confirmLabel}</button>
      </div>
    </Modal>
  );
}
