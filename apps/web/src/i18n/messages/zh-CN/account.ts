import type { CatalogueShape } from '../../catalogue';
import type { account as en } from '../en/account';

export const account: CatalogueShape<typeof en> = {
  title: '账号',
  topic: '修改密码。修改后，其他所有设备上的登录都会失效。',
  password: {
    heading: '修改密码',
    current: '当前密码',
    new: '新密码',
    newHint: '至少 {min} 个字符。',
    confirm: '确认新密码',
    mismatch: '两次输入的新密码不一致',
    submit: '修改密码',
    submitting: '正在修改…',
    changed: '密码已修改。其他所有设备和浏览器都已退出登录，当前设备仍保持登录。',
    backToLobby: '返回 #lobby',
  },
};
