import type { CatalogueShape } from '../../catalogue';
import type { dm as en } from '../en/dm';

export const dm: CatalogueShape<typeof en> = {
  notesToSelf: '给自己的备忘',
  sidebar: {
    title: '私信',
    empty: '还没有会话。',
    findSomeone: '找人聊聊',
  },
  preview: {
    own: '你：{text}',
    recalledByMe: '你撤回了一条消息',
    recalledBy: '{name} 撤回了一条消息',
    removed: '一条消息已被管理员删除',
  },
  directory: {
    title: '新建会话',
    hint: '选择一个人发起私信，或添加最多 {max} 人发起群聊。',
    openConversation: '打开会话',
    startGroup: '创建 {n} 人群聊',
  },
  notFound: {
    pageTitle: '用户不存在',
    headerTitle: '私信',
    title: '没有名为“{name}”的用户',
    hint: '请检查拼写，或点击“{section}”旁边的 {plus} 查找用户。',
  },
  view: {
    label: '与 {name} 的会话',
    selfTopic: "{'@'}{username} · 仅你自己可见",
    selfIntro: '只属于你的空间：记下草稿、链接和待办事项。其他人都无法阅读。',
    intro: '这是你与 {name} 私信的开始。只有你们两人可以阅读。',
    selfComposerLabel: '随手记点什么',
    composerLabel: '发消息给 {name}',
    openFailed: '无法打开此会话：{error}',
    tryAgain: '重试',
    opening: '正在打开会话…',
  },
};
