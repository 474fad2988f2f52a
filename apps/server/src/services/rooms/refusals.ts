import { fail } from '@confab/shared';

/** One refusal for every room the caller may not use, of any kind, whether or not it exists, so probing learns nothing. */
export const NOT_A_MEMBER = fail('forbidden', 'You are not a member of this room.');
