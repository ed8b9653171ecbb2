// Short-lived messages after an action ("Closed ws-4", or the API's error message).

import { Observable } from './observable.ts';

export interface Notice {
  id: number;
  kind: 'info' | 'error';
  text: string;
}

const SHOW_MS = 4000;
let nextId = 0;

export const notices = new Observable<Notice[]>([]);

export function notify(kind: Notice['kind'], text: string): void {
  const notice = { id: ++nextId, kind, text };
  notices.set([...notices.get(), notice].slice(-4));
  setTimeout(() => notices.set(notices.get().filter((n) => n !== notice)), SHOW_MS);
}
