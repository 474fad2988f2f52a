import { LIMITS, bodyLength, bodySchema } from '@confab/shared';
import { issueText } from './formErrors';

export interface DraftCheck {
  /** Length as the server will count it: code points after NFC, CRLF folding and trimming. */
  length: number;
  /** Characters left before the limit; negative when over. */
  remaining: number;
  /** Show the counter: the draft is close to (or past) the limit. */
  isNearLimit: boolean;
  /** Nothing but whitespace: Enter does nothing. */
  isBlank: boolean;
  /** Why the shared schema refuses the draft, or null. Blank drafts are not an error, just nothing to send. */
  error: string | null;
}

/** Why the shared schema refuses a text as a message body, as a sentence in the language on screen ("Message must …"), or null. */
export function bodyRefusal(draft: string): string | null {
  const parsed = bodySchema.safeParse(draft);
  if (parsed.success) return null;
  const issue = parsed.error.issues[0]!;
  return issueText('body', { ...issue, message: issue.message.replace(/^body\b/, 'message') });
}

/** Pre-checks a draft with the same schema the server applies. */
export function checkDraft(draft: string): DraftCheck {
  const length = bodyLength(draft);
  const isBlank = length === 0;
  const refusal = isBlank ? null : bodyRefusal(draft);
  return {
    length,
    remaining: LIMITS.bodyMaxLength - length,
    isNearLimit: length >= LIMITS.bodyWarnLength,
    isBlank,
    error: refusal,
  };
}
