import type { CatalogueShape } from '../../catalogue';
import type { layout as en } from '../en/layout';

export const layout: CatalogueShape<typeof en> = {
  documentTitle: '{page} · {appName}',
  sidebar: {
    label: '频道和私信',
    enableNotifications: '开启通知',
    status: {
      connected: '已连接',
      notConnected: '未连接',
      reconnecting: '正在重新连接',
      connecting: '正在连接',
    },
  },
  nav: {
    open: '打开导航',
    openWithUnread: '打开导航，{unread} 条未读',
    openWithMentions: '打开导航，{n} 条提及',
    openWithBoth: '打开导航，{unread} 条未读，{n} 条提及',
    close: '关闭导航',
  },
  badge: {
    mentions: '，{n} 条提及',
    unread: '，{n} 条未读',
  },
  online: {
    count: '{n} 人在线',
    away: '{n} 人暂时离开',
    more: '还有 {n} 人',
    reconnecting: '正在重新连接…',
    unknownHint: '连接恢复前无法得知在线状态',
  },
  dialog: {
    close: '关闭',
  },
  notFound: {
    backToLobby: '返回 #lobby',
  },
  update: {
    available: '{appName} 有新版本可用。',
    reload: '重新加载',
    notNow: '以后再说',
  },
  connection: {
    originRefused: '此服务器不接受来自本页面地址的连接，需由管理员将其加入 ALLOWED_ORIGINS。',
    offline: '你已离线。你发送的消息会在恢复连接后发出。',
    refused: '服务器拒绝了连接。',
    lostRetrying: '连接已断开，{seconds} 秒后重新连接…',
    unreachableRetrying: '无法连接到服务器，{seconds} 秒后重试…',
    reconnecting: '正在重新连接…',
    connecting: '正在连接…',
  },
  lobby: {
    label: '# lobby',
    topic: '公共大厅：此服务器上的所有人都可以在这里阅读和发言。',
    introTitle: '欢迎来到 #lobby',
    introText: '这里是大厅的起点，来打个招呼吧！',
    composerLabel: '发消息到 #lobby',
  },
  notification: {
    inChannel: '{author}（#{channel}）',
  },
};
