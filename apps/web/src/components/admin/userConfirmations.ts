import { isolateText, type AdminUserDto } from '@confab/shared';
import { t } from '../../i18n';
import type { Result } from '../../services/request';
import type { useAdminStore } from '../../stores/admin';

/** What the confirmation asks, and what runs once it is confirmed. */
export interface Confirmation {
  testid: string;
  title: () => string;
  text: () => string;
  warning?: () => string;
  confirm: () => string;
  busy: () => string;
  isGrant?: boolean;
  run: () => Promise<Result<unknown>>;
  done: (data: unknown) => () => string;
}
export type ConfirmedAction = 'promote' | 'demote' | 'deactivate' | 'ban';

/**
 * The confirmation each action on `user`'s account asks for, and what runs once it is given.
 * Texts are worded when shown (they follow a change of language); names are isolated, so direction
 * controls in one cannot reorder the sentence around it.
 */
export function userConfirmations(user: () => AdminUserDto, admin: ReturnType<typeof useAdminStore>): Record<ConfirmedAction, Confirmation> {
  const name = () => isolateText(user().displayName);
  return {
    promote: {
      testid: 'admin-role',
      title: () => t('admin.users.promoteTitle', { name: name() }),
      text: () => t('admin.users.promoteText', { name: name() }),
      confirm: () => t('admin.users.promoteConfirm'),
      busy: () => t('admin.users.promoting'),
      isGrant: true,
      run: () => admin.setRole(user().id, 'admin'),
      done: () => () => t('admin.users.madeAdmin', { name: name() }),
    },
    demote: {
      testid: 'admin-role',
      title: () => t('admin.users.demoteTitle', { name: name() }),
      text: () => t('admin.users.demoteText', { name: name() }),
      confirm: () => t('admin.users.demoteConfirm'),
      busy: () => t('admin.users.demoting'),
      run: () => admin.setRole(user().id, 'member'),
      done: () => () => t('admin.users.madeMember', { name: name() }),
    },
    deactivate: {
      testid: 'admin-deactivate',
      title: () => t('admin.users.deactivateTitle', { name: name() }),
      text: () => t('admin.users.deactivateText', { name: name() }),
      confirm: () => t('admin.users.deactivateConfirm'),
      busy: () => t('admin.users.deactivating'),
      run: () => admin.setActive(user().id, false),
      done: () => () => t('admin.users.wasDeactivated', { name: name() }),
    },
    ban: {
      testid: 'admin-ban',
      title: () => t('admin.users.banTitle', { name: name() }),
      text: () => t('admin.users.banText', { name: name() }),
      warning: () => t('admin.users.banWarning'),
      confirm: () => t('admin.users.banConfirm'),
      busy: () => t('admin.users.banning'),
      run: () => admin.ban(user().id),
      done: (data) => {
        const removed = (data as { removedMessages: number }).removedMessages;
        return () => t('admin.users.wasBanned', { name: name(), n: removed }, removed);
      },
    },
  };
}
