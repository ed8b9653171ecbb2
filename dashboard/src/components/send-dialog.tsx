// Sends one frame to a WebSocket connection (contract §9.2). Validation is the API's: its error message
// (invalid_type, invalid_base64, validation_error, not_found) is shown in the dialog.

import { useState } from 'preact/hooks';
import { sendWebSocketMessage } from '../actions.ts';
import { describeError } from '../api.ts';
import { notify } from '../notices.ts';
import { Modal } from './modal.tsx';

export function SendDialog({ connectionId, onDone }: { connectionId: string; onDone: () => void }) {
  const [type, setType] = useState<'text' | 'binary'>('text');
  const [data, setData] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await sendWebSocketMessage(connectionId, type, data);
      notify('info', `Sent ${type} message to ${connectionId}`);
      onDone();
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal title={`Send to ${connectionId}`} onCancel={onDone}>
      <form onSubmit={submit} class="send-form">
        <fieldset class="inline">
          <label><input type="radio" name="type" checked={type === 'text'} onChange={() => setType('text')} /> Text</label>
          <label><input type="radio" name="type" checked={type === 'binary'} onChange={() => setType('binary')} /> Binary (base64)</label>
        </fieldset>
        <textarea
          name="data"
          rows={5}
          aria-label="Message"
          placeholder={type === 'text' ? 'Message text' : 'Base64, e.g. AAEC/w=='}
          value={data}
          onInput={(e) => setData((e.target as HTMLTextAreaElement).value)}
        />
        {error && <p class="error" role="alert">{error}</p>}
        <div class="buttons">
          <button type="button" onClick={onDone}>Cancel</button>
          <button type="submit" class="primary" disabled={busy}>Send</button>
        </div>
      </form>
    </Modal>
  );
}
