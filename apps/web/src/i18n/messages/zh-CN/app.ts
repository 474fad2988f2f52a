import type { CatalogueShape } from '../../catalogue';
import type { app as en } from '../en/app';

export const app: CatalogueShape<typeof en> = {
  titles: {
    lobby: '#lobby',
    dm: '私信',
    channel: '频道',
    group: '会话',
    account: '账号',
    invitations: '邀请他人',
    signIn: '登录',
    signUp: '注册',
  },
  fields: {
    username: '用户名',
    password: '密码',
    displayName: '显示名称',
    currentPassword: '当前密码',
    newPassword: '新密码',
    confirmPassword: '确认密码',
    name: '名称',
    topic: '话题',
    body: '消息',
  },
  validation: {
    required: '请填写{field}',
    tooShort: '{field}至少需要 {min} 个字符',
    tooLong: '{field}不能超过 {max} 个字符',
    invalid: '{field}格式不正确',
    usernameCharacters: '{field}只能包含字母、数字、“.”、“_”和“-”',
    channelNameCharacters: '{field}只能包含字母、数字、“-” 和 “_”（不能有空格）',
    controlCharacter: '{field}包含控制字符',
    invalidCharacter: '{field}包含无效字符',
    visibleCharacter: '{field}必须包含可见字符',
    hiddenCharacter: '{field}不能包含不可见字符或文字方向控制字符（发现 {character}）',
    directionCharacter: '{field}不能包含文字方向控制字符',
    letterOrDigit: '{field}必须包含字母或数字',
    reserved: '该{field}已被系统保留',
  },
  form: {
    failed: '出了点问题，请重试。',
  },
  network: {
    unreachable: '无法连接服务器。请检查网络连接后重试。',
    serverTrouble: '服务器出现问题，请稍后重试。',
  },
  session: {
    signedOutMeanwhile: '操作期间你已退出登录。',
  },
};
