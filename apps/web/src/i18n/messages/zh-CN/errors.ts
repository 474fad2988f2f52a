import type { CatalogueShape } from '../../catalogue';
import type { errors as en } from '../en/errors';

export const errors: CatalogueShape<typeof en> = {
  invalid_payload: '提交失败，请检查填写的内容。',
  invalid_payload_field: '提交失败，请检查“{field}”。',
  unauthorized: '登录已失效，请重新登录。',
  origin_not_allowed: '此页面的地址不允许连接服务器。',
  forbidden: '你无权在此执行该操作。',
  not_found: '内容不存在或已被删除。',
  invalid_credentials: '用户名或密码错误。',
  wrong_current_password: '当前密码不正确。',
  username_taken: '该用户名已被占用。',
  name_taken: '已有同名频道。',
  limit_reached: '已达到上限，未做任何更改。',
  recall_window_expired: '已超过可撤回的时间。',
  edit_window_expired: '已超过可编辑的时间。',
  file_too_large: '文件超过了服务器允许的大小。',
  quota_exceeded: '你的文件存储空间已满。',
  rate_limited: '请求过于频繁，请稍后再试。',
  rate_limited_after: '请求过于频繁，请在 {seconds} 秒后再试。',
  unavailable: '服务器暂时不可用，请稍后再试。',
  internal: '服务器出错了。',
  disconnected: '连接已断开，未收到服务器响应。',
  offline: '你已离线。',
  timeout: '服务器响应超时。',
  unexpected_response: '服务器返回了异常响应（{status}）。',
  unknown: '出错了。',
};
