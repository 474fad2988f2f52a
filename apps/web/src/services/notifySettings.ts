import type { DmClientToServerEvents, NotifySetPayload, NotifySettingDto } from '@confab/shared';
import { createRequester, type Result } from './request';
import { dmSocket } from './socket';

// Settings are the user's own: they travel over `/dm`, whose personal room reaches every device.
const request = createRequester<DmClientToServerEvents>(dmSocket);

export function listNotifySettings(): Promise<Result<{ settings: NotifySettingDto[] }>> {
  return request('notify:list', {});
}

export function setNotifySetting(payload: NotifySetPayload): Promise<Result<NotifySettingDto>> {
  return request('notify:set', payload);
}
