// Asks for the admin API key after a 401 (contract §8.1). The key stays in sessionStorage for this tab only.

import { useState } from 'preact/hooks';
import { apiKey } from '../api-key.ts';
import { Modal } from './modal.tsx';

export function ApiKeyForm({ reason }: { reason: string }) {
  const [key, setKey] = useState('');
  return (
    <Modal title="API key required">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (key) apiKey.save(key);
        }}
      >
        <p>{reason} Enter the key mockd was started with (<code>--api-key</code>).</p>
        <input type="password" name="apiKey" aria-label="API key" autocomplete="off" value={key} onInput={(e) => setKey((e.target as HTMLInputElement).value)} />
        <div class="buttons">
          <button type="submit" class="primary">Continue</button>
        </div>
      </form>
    </Modal>
  );
}
