// Entry of the mockd dashboard, served by the admin API at `/` (contract, compatibility notes: "an open web
// dashboard at the admin port's `/`, fed by `/events`").

import { render } from 'preact';
import { apiKey } from './api-key.ts';
import { App } from './components/app.tsx';
import { LiveStore } from './live-store.ts';

const store = new LiveStore();
store.start();
// A new key reloads everything and reopens the event stream with it.
apiKey.generation.subscribe(() => store.start());
render(<App store={store} />, document.getElementById('app')!);
