import type { CatalogueShape } from '../../catalogue';
import type { common as en } from '../en/common';

export const common: CatalogueShape<typeof en> = {
  appName: 'Confab',
  justNow: '刚刚',
  language: '语言',
  languageSystem: '自动',
  theme: '主题',
  themeLight: '浅色',
  themeDark: '深色',
  themeSystem: '跟随系统',
  signedInAs: '当前登录：{username}',
  changePassword: '修改密码',
  invitePeople: '邀请他人',
  signOut: '退出登录',
  signOutLosingUnsent: '你有 {unsent} 条未发送的消息。退出登录会从此浏览器删除它们和你的草稿。仍要退出吗？',
  signOutLosingUploads: '你有文件仍在上传。退出登录会从此浏览器删除它们和你的草稿。仍要退出吗？',
  signOutLosingBoth: '你有 {unsent} 条未发送的消息，还有文件仍在上传。退出登录会从此浏览器删除它们和你的草稿。仍要退出吗？',
};
