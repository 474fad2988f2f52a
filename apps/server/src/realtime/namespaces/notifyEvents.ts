import { emptySchema, notifySetSchema } from '@confab/shared';
import type { ClientLog } from '../../logging/sampledLog.js';
import type { NotifySettingService } from '../../services/notifySettingService.js';
import { handleEvent } from '../handler.js';
import { userRoom } from '../rooms.js';
import type { DmDeps, DmSocket } from './dm.js';

/** The notification settings events of `/dm`: a user's settings, the same on all of their devices. */
export function registerNotifyEvents(socket: DmSocket, deps: Pick<DmDeps, 'rateLimits'> & { notifySettings: NotifySettingService }, logger: ClientLog): void {
  const user = socket.data.user;
  const admit = () => deps.rateLimits.check('settings', user.id);

  socket.on('notify:list', handleEvent(logger, 'notify:list', emptySchema, () => deps.notifySettings.list(user)));
  socket.on(
    'notify:set',
    handleEvent(logger, 'notify:set', notifySetSchema, async (input) => {
      const result = await deps.notifySettings.set(user, input, admit);
      // Through the adapter: the user's sockets on every instance, this one included.
      if (result.ok) socket.nsp.to(userRoom(user.id)).emit('notify:update', result.data);
      return result;
    }),
  );
}
