import type { CatalogueShape } from '../../catalogue';
import type { admin as en } from '../en/admin';

export const admin: CatalogueShape<typeof en> = {
  title: '管理',
};
