// Faults on the selected connection (README "Faults and chaos"): the kinds its protocol has, the parameters the chosen
// kind reads, Apply and Lift. Each button is one admin call; the outcome shows as a notice.

import { useState } from 'preact/hooks';
import { api, describeError } from '../api.ts';
import { notify } from '../notices.ts';
import { PROTOCOL_INFO, type Row } from '../protocols.ts';
import { FAULT_KINDS, LASTING_KINDS, type ConnectionFaultKind } from '../../../src/contract/faults.ts';

/** The parameters each kind reads, as [body field, label]. */
const PARAMETERS: Record<ConnectionFaultKind, [string, string][]> = {
  reset: [],
  drop: [],
  stall: [['durationMs', 'Duration (ms, empty: until lifted)']],
  delay: [['delayMs', 'Delay per message (ms)'], ['durationMs', 'Duration (ms, empty: until lifted)']],
  'drop-messages': [['count', 'Messages to drop']],
  close: [['code', 'Code'], ['reason', 'Reason']],
  'drop-puback': [['count', 'PUBACKs to drop (empty: all)'], ['durationMs', 'Duration (ms, empty: until lifted)']],
  goaway: [],
};

export function FaultControls({ row }: { row: Row }) {
  const kinds = FAULT_KINDS[row.protocol];
  const [kind, setKind] = useState<ConnectionFaultKind>(kinds[0]!);
  const [values, setValues] = useState<Record<string, string>>({});
  const route = `${PROTOCOL_INFO[row.protocol].routes.list}/${encodeURIComponent(row.id)}/fault`;
  const fields = row.protocol === 'sse' && kind === 'close' ? ([['retryMs', 'retry: (ms)']] as [string, string][]) : PARAMETERS[kind];

  const apply = async () => {
    const body: Record<string, unknown> = { kind };
    for (const [field] of fields) {
      const v = values[field]?.trim();
      if (v) body[field] = field === 'reason' ? v : Number(v);
    }
    try {
      await api(route, { method: 'POST', body });
      notify('info', `Fault ${kind} applied to ${row.id}`);
    } catch (err) {
      notify('error', describeError(err));
    }
  };
  const lift = async () => {
    try {
      await api(route, { method: 'DELETE' });
      notify('info', `Faults lifted on ${row.id}`);
    } catch (err) {
      notify('error', describeError(err));
    }
  };

  return (
    <section class="faults" aria-label="Faults">
      <div class="label">Fault</div>
      <label>
        Kind{' '}
        <select aria-label="Fault kind" value={kind} onChange={(e) => setKind((e.target as HTMLSelectElement).value as ConnectionFaultKind)}>
          {kinds.map((k) => <option key={k} value={k}>{k}</option>)}
        </select>
      </label>
      {fields.map(([field, label]) => (
        <label key={field}>
          {label}{' '}
          <input
            aria-label={label}
            data-fault-field={field}
            value={values[field] ?? ''}
            onInput={(e) => setValues({ ...values, [field]: (e.target as HTMLInputElement).value })}
          />
        </label>
      ))}
      <div class="buttons">
        <button type="button" class="danger" onClick={apply}>Apply fault</button>
        <button type="button" onClick={lift} title={LASTING_KINDS.join(', ') + ' last until lifted'}>Lift faults</button>
      </div>
    </section>
  );
}
