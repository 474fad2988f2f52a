import type { CatalogueShape } from '../../catalogue';
import type { user as en } from '../en/user';

export const user: CatalogueShape<typeof en> = {};
