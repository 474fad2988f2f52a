import type { CatalogueShape } from '../../catalogue';
import type { Catalogue } from '../en';
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

/** Simplified Chinese, loaded only when chosen (a chunk of its own). */
export const zhCN: CatalogueShape<Catalogue> = { common, errors, app, auth, account, layout, dm, user, room, chat, composer, admin };
