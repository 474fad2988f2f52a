import type { CatalogueShape } from '../../catalogue';
import type { user as en } from '../en/user';

export const user: CatalogueShape<typeof en> = {
  you: '（你）',
  nameWithUsername: "{name}（{'@'}{username}）",
  presence: {
    online: '在线',
    away: '离开',
    offline: '离线',
    lastSeen: '{when}在线',
    unknown: '在线状态未知',
    unknownWhileReconnecting: '重新连接期间在线状态未知',
  },
  picker: {
    searchLabel: '按名称或用户名查找用户',
    searchPlaceholder: '按名称或用户名搜索',
    results: '用户',
    selected: '已选用户',
    add: '添加',
    added: '已添加',
    addPerson: '添加 {name}',
    removePerson: '移除 {name}',
    tryAgain: '重试',
    noMatch: '没有与“{query}”匹配的用户。',
    searching: '正在搜索…',
    loadMore: '加载更多',
  },
};
