/** The room holding every socket of one user in a namespace: their tabs and devices. */
export function userRoom(userId: string): string {
  return `user:${userId}`;
}
