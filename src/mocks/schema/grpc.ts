import { z } from 'zod';
export const grpcSpecSchema = z.object({}).passthrough();
