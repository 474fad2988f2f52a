import { defineStore } from 'pinia';
import { ref } from 'vue';
import { defaultNotifyLevel, isMutedAt, MUTED_FOREVER, type NotifySetPayload, type NotifySettingDto } from '@confab/shared';
import type { AsyncStatus } from '../lib/roomMessages';
import { serverClock } from '../lib/serverClock';
import * as api from '../services/notifySettings';
import type { Result } from '../services/request';
import type { RoomNotifyState } from '../lib/notifyPolicy';

// setTimeout's longest delay; a mute further off is looked at again then.
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * The signed-in user's per-room notification settings (`notify:list`), the same on all of their
 * devices: loaded on every `/dm` connect and kept live from `notify:update`. A room absent from
 * it has its default (`defaultNotifyLevel`) and is not muted.
 */
export const useNotifySettingsStore = defineStore('notifySettings', () => {
  const byRoomId = ref<Record<string, NotifySettingDto>>({});
  const loadStatus = ref<AsyncStatus>('idle');
  /** Bumped when a mute runs out, so that whatever read `isMuted` reads it again. */
  const clockTick = ref(0);

  // Bumped by reset(): answers to requests made for a previous user are dropped.
  let generation = 0;
  // Settings that arrived while a list was on its way: the older list must not undo them.
  let arrivedDuringLoad: Map<string, NotifySettingDto> | null = null;
  let expiryTimer: ReturnType<typeof setTimeout> | undefined;

  function settingOf(roomId: string): NotifySettingDto {
    return byRoomId.value[roomId] ?? { roomId, level: defaultNotifyLevel(roomId), mutedUntil: null };
  }

  function isMuted(roomId: string): boolean {
    void clockTick.value;
    return isMutedAt(settingOf(roomId).mutedUntil, serverClock.now());
  }

  function stateOf(roomId: string): RoomNotifyState {
    return { level: settingOf(roomId).level, isMuted: isMuted(roomId) };
  }

  /** Wakes up when the nearest mute runs out, so that the room counts (and notifies) again without a reload. */
  function scheduleExpiry(): void {
    clearTimeout(expiryTimer);
    const now = serverClock.now();
    const ends = Object.values(byRoomId.value)
      .filter((s) => s.mutedUntil !== null && s.mutedUntil !== MUTED_FOREVER)
      .map((s) => Date.parse(s.mutedUntil!))
      .filter((at) => at > now);
    if (ends.length === 0) return;
    expiryTimer = setTimeout(() => {
      clockTick.value += 1;
      scheduleExpiry();
    }, Math.min(Math.min(...ends) - now + 50, MAX_TIMER_MS));
  }

  /** A setting the server confirmed (`notify:update`, an ack): replaces the one held. */
  function apply(setting: NotifySettingDto): void {
    arrivedDuringLoad?.set(setting.roomId, setting);
    byRoomId.value = { ...byRoomId.value, [setting.roomId]: setting };
    scheduleExpiry();
  }

  /** A room no longer ours: its setting is gone on the server too. */
  function forget(roomId: string): void {
    arrivedDuringLoad?.delete(roomId);
    if (!(roomId in byRoomId.value)) return;
    const { [roomId]: _gone, ...rest } = byRoomId.value;
    byRoomId.value = rest;
  }

  async function load(): Promise<void> {
    const current = generation;
    loadStatus.value = 'loading';
    const arrived = new Map<string, NotifySettingDto>();
    arrivedDuringLoad = arrived;
    const result = await api.listNotifySettings();
    if (current !== generation) return;
    if (arrivedDuringLoad === arrived) arrivedDuringLoad = null;
    if (!result.ok) {
      loadStatus.value = 'error';
      return;
    }
    const next: Record<string, NotifySettingDto> = {};
    for (const setting of result.data.settings) next[setting.roomId] = setting;
    for (const [roomId, setting] of arrived) next[roomId] = setting;
    byRoomId.value = next;
    loadStatus.value = 'done';
    scheduleExpiry();
  }

  /** Changes a room's setting on the server; the ack (and every other device) applies it. */
  async function update(change: NotifySetPayload): Promise<Result<NotifySettingDto>> {
    const current = generation;
    const result = await api.setNotifySetting(change);
    if (result.ok && current === generation) apply(result.data);
    return result;
  }

  function reset(): void {
    generation += 1;
    arrivedDuringLoad = null;
    clearTimeout(expiryTimer);
    byRoomId.value = {};
    loadStatus.value = 'idle';
  }

  return { byRoomId, loadStatus, clockTick, settingOf, isMuted, stateOf, apply, forget, load, update, reset };
});
