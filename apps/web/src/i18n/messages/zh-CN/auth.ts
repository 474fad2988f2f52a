import type { CatalogueShape } from '../../catalogue';
import type { auth as en } from '../en/auth';

export const auth: CatalogueShape<typeof en> = {
  signIn: {
    title: '登录 {server}',
    subtitle: '欢迎回来，从上次离开的地方继续聊吧。',
    expired: '登录已失效，请重新登录后继续。',
    deactivated: '此账号已被停用，请联系管理员。',
    submit: '登录',
    submitting: '正在登录…',
    newHere: '第一次来？{link}',
    toSignUp: '注册账号',
  },
  signUp: {
    title: '加入 {server}',
    subtitle: '注册账号，开始聊天。',
    closedTitle: '注册已关闭',
    needsInvitationTitle: '需要邀请才能注册',
    loading: '正在加载…',
    invited: '你已受到邀请，注册账号即可加入。',
    closed: '{server} 已关闭注册，请联系管理员为你创建账号。',
    needsInvitation: '{server} 仅限受邀注册。如需加入，请打开你收到的邀请链接。',
    goToSignIn: '前往登录',
    closedRefusal: '此服务器目前不开放注册，请联系管理员。',
    invitationInvalid: '此邀请链接无效：可能已过期、已用完或已被撤销，请索取新的链接。',
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
