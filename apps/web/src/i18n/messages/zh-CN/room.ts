import type { CatalogueShape } from '../../catalogue';
import type { room as en } from '../en/room';

export const room: CatalogueShape<typeof en> = {};
