import type { CatalogueShape } from '../../catalogue';
import type { composer as en } from '../en/composer';

export const composer: CatalogueShape<typeof en> = {
  keys: {
    enter: 'Enter',
    shift: 'Shift',
    up: '↑',
    escape: 'Esc',
  },
  input: {
    counter: '{length} / {max} 个字符',
    send: '发送消息',
  },
  note: {
    waiting: '上传完成后发送…',
    dontSendYet: '先不发送',
    offline: '你已离线。现在发送的消息将在连接恢复后送达。',
    keys: '按 {enter} 发送 · {shift} + {enter} 换行 · {up} 编辑你的上一条消息',
  },
  attach: {
    button: '添加附件',
  },
  attachment: {
    queued: '等待上传',
    uploading: '正在上传，{percent}%',
    failed: '上传失败',
    done: '已上传',
    progress: '正在上传 {name}',
    retry: '重试',
    retryNamed: '重试上传 {name}',
    cancel: '取消上传',
    cancelNamed: '取消上传 {name}',
    remove: '移除',
    removeNamed: '移除 {name}',
  },
  attachments: {
    list: '已添加的附件',
    dismiss: '关闭',
    announceDone: '{name} 已上传。',
    announceFailed: '{name} 上传失败：{error}',
  },
  uploads: {
    tooLargeOne: '{name}（{size}）超出大小限制，单个文件不能超过 {max}。',
    tooLargeMany: '{n} 个文件超出大小限制，单个文件不能超过 {max}。',
    tooManyOne: '每条消息最多添加 {max} 个文件，{name} 未添加。',
    tooManyMany: '每条消息最多添加 {max} 个文件，{n} 个文件未添加。',
    both: '{first}{second}',
    failed: '{name} 无法上传。请重试或移除它，然后再次发送。',
    notSentFailed: '未发送：{name} 无法上传。请重试或移除它，然后再次发送。',
    notSentInvalid: '未发送：这条消息无法按原样发送。',
  },
  dropZone: {
    hint: '将文件拖放到此处，作为附件添加到消息中',
  },
  mentions: {
    list: '可提及的人',
  },
  reply: {
    replyingTo: '回复 {name}：{excerpt}',
    recalled: '{name} 撤回了你正在回复的消息：你的消息将不带引用发送。',
    removed: '你正在回复的消息已被管理员删除：你的消息将不带引用发送。',
    cancel: '取消回复',
    cancelWithKey: '取消回复（Esc）',
  },
  editor: {
    label: '编辑消息',
    saveFailed: '无法保存：{error}',
    blankRefused: '{reason}；如需删除，请撤回这条消息。',
    keys: '按 {escape} {cancel} · 按 {enter} {save}',
    cancel: '取消',
    save: '保存',
  },
};
