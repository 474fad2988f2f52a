import type { CatalogueShape } from '../../catalogue';
import type { account as en } from '../en/account';

export const account: CatalogueShape<typeof en> = {};
