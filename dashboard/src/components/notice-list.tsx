import { useObservable } from '../observable.ts';
import { notices } from '../notices.ts';

export function NoticeList() {
  const list = useObservable(notices);
  return (
    <div class="notices" role="status" aria-live="polite">
      {list.map((n) => <div key={n.id} class={`notice ${n.kind}`}>{n.text}</div>)}
    </div>
  );
}
