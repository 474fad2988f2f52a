import type { z } from 'zod';
import type {
  changePasswordSchema,
  conversationListSchema,
  dmHistorySchema,
  dmOpenSchema,
  dmReadSchema,
  dmSendSchema,
  dmSyncSchema,
  historySchema,
  registerSchema,
  sendMessageSchema,
  signInSchema,
  syncSchema,
  userSearchSchema,
} from '@confab/shared';

/** Payloads after validation: normalised, defaults filled in. Services accept only these. */
export type RegisterInput = z.output<typeof registerSchema>;
export type SignInInput = z.output<typeof signInSchema>;
export type ChangePasswordInput = z.output<typeof changePasswordSchema>;
export type SendMessageInput = z.output<typeof sendMessageSchema>;
export type HistoryInput = z.output<typeof historySchema>;
export type SyncInput = z.output<typeof syncSchema>;
export type DmSendInput = z.output<typeof dmSendSchema>;
export type DmHistoryInput = z.output<typeof dmHistorySchema>;
export type DmSyncInput = z.output<typeof dmSyncSchema>;
export type DmReadInput = z.output<typeof dmReadSchema>;
export type DmOpenInput = z.output<typeof dmOpenSchema>;
export type ConversationListInput = z.output<typeof conversationListSchema>;
export type UserSearchInput = z.output<typeof userSearchSchema>;
