import type { ServerSettings } from '@confab/shared';
import { apiRequest } from './http';

export function fetchSettings(): Promise<ServerSettings> {
  return apiRequest<ServerSettings>('GET', '/api/settings');
}
