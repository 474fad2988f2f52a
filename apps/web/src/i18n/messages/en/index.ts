import { account } from './account';
import { admin } from './admin';
import { app } from './app';
import { auth } from './auth';
import { chat } from './chat';
import { common } from './common';
import { composer } from './composer';
import { dm } from './dm';
import { errors } from './errors';
import { layout } from './layout';
import { room } from './room';
import { user } from './user';

/**
 * The English catalogue, bundled with the app: the source every other catalogue translates, and
 * the fallback for a key one lacks. One module per area of the app:
 * - common: brand, language and theme choices; errors: error codes;
 * - app: page titles, the update prompt; auth: sign-in, sign-up, form validation;
 * - account: the account screen; layout: shell, header, sidebar, drawer, connection banner, notifications;
 * - dm: direct messages and their list; user: avatars, names, presence, the user picker;
 * - room: channels, groups, their dialogs, members and notification menu;
 * - chat: the message list and messages; composer: writing, replies, mentions, uploads;
 * - admin: the administration screen (settings, users, invitations, reports, the audit log).
 * Messages use vue-i18n's syntax: `{name}` placeholders, `a | b` plurals (see docs/operations.md).
 */
export const en = { common, errors, app, auth, account, layout, dm, user, room, chat, composer, admin };

export type Catalogue = typeof en;
