import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import { createApp, defineComponent, h, nextTick, type App } from 'vue';
import { RouterView, createMemoryHistory, createRouter, type Router } from 'vue-router';
import { ALICE_USER, BOB_USER, CAROL_USER, DESIGN_ROOM, GROUP_ROOM, roomSummary } from '../testing/factories';
import { useRoomMessagesStore } from '../stores/roomMessages';
import { useRoomsStore } from '../stores/rooms';
import { useSessionStore } from '../stores/session';
import RoomView from './RoomView.vue';

const group = roomSummary({ room: { id: GROUP_ROOM, kind: 'group', name: null, memberCount: 3, members: [ALICE_USER, BOB_USER, CAROL_USER] } });
const design = roomSummary();

describe('RoomView', () => {
  let app: App;
  let router: Router;
  let pinia: Pinia;

  beforeEach(() => {
    pinia = createPinia();
    setActivePinia(pinia);
    useSessionStore().user = ALICE_USER;
    router = createRouter({
      history: createMemoryHistory(),
      routes: [
        { path: '/', name: 'lobby', component: defineComponent(() => () => h('p', 'lobby')) },
        { path: '/g/:roomId', name: 'group', component: RoomView },
        { path: '/c/:name', name: 'channel', component: RoomView },
        { path: '/account', name: 'account', component: defineComponent(() => () => h('p', 'account')) },
      ],
    });
  });
  afterEach(() => app?.unmount());

  async function open(path: string): Promise<void> {
    app = createApp(defineComponent(() => () => h(RouterView)));
    app.use(pinia).use(router);
    await router.push(path);
    app.mount(document.createElement('div'));
    await nextTick();
  }

  // The room list was there before the view opened, as when moving to a room from the sidebar:
  // on leaving, the route already names the next screen, and no longer says which room it was.
  it.each([
    ['a group', `/g/${GROUP_ROOM}`, GROUP_ROOM],
    ['a channel', '/c/design', DESIGN_ROOM],
  ])('leaving %s for a screen with no room stops showing it as read and open', async (_kind, path, roomId) => {
    const rooms = useRoomsStore();
    rooms.upsert(group);
    rooms.upsert(design);
    rooms.loadStatus = 'done';
    await open(path);
    expect(rooms.viewedRoomId).toBe(roomId);
    expect(useRoomMessagesStore().activeRoomId).toBe(roomId);

    await router.push('/account');
    await nextTick();
    expect(rooms.viewedRoomId).toBeNull();
    expect(useRoomMessagesStore().activeRoomId).toBeNull();
  });
});
