import { z } from 'zod';
export const mqttSpecSchema = z.object({}).passthrough();
