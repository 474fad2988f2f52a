import type { CatalogueShape } from '../../catalogue';
import type { chat as en } from '../en/chat';

export const chat: CatalogueShape<typeof en> = {};
