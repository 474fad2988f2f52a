import type { CatalogueShape } from '../../catalogue';
import type { auth as en } from '../en/auth';

export const auth: CatalogueShape<typeof en> = {
  signIn: {
    title: '登录 Confab',
    subtitle: '欢迎回来，从上次离开的地方继续聊吧。',
    expired: '登录已失效，请重新登录后继续。',
    submit: '登录',
    submitting: '正在登录…',
    newHere: '第一次来？{link}',
    toSignUp: '注册账号',
  },
  signUp: {
    title: '注册账号',
    subtitle: '加入大厅，开始聊天。',
    submit: '注册',
    submitting: '正在注册…',
    haveAccount: '已有账号？{link}',
    toSignIn: '登录',
  },
  fields: {
    username: '用户名',
    usernameHint: '{min}–{max} 个字符，可用字母、数字、“.”、“_” 或 “-”。',
    displayName: '显示名称（可选）',
    displayNameHint: '其他人看到的名字，留空则使用用户名。',
    password: '密码',
    passwordHint: '至少 {min} 个字符。',
  },
};
