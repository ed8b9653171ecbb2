import { z } from 'zod';

/** The `websocket` spec of contract §5. Placeholder until the websocket protocol lands. */
export const websocketSpecSchema = z.object({}).passthrough();
