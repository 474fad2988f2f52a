import type { z } from 'zod';
import type { historySchema, registerSchema, sendMessageSchema, signInSchema, syncSchema } from '@confab/shared';

/** Payloads after validation: normalised, defaults filled in. Services accept only these. */
export type RegisterInput = z.output<typeof registerSchema>;
export type SignInInput = z.output<typeof signInSchema>;
export type SendMessageInput = z.output<typeof sendMessageSchema>;
export type HistoryInput = z.output<typeof historySchema>;
export type SyncInput = z.output<typeof syncSchema>;
