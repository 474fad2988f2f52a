import type { Router } from 'vue-router';
import { startNotifier } from './notifier';
import { startRealtime } from './realtime';

/** Connects while someone is signed in and raises notifications for what arrives. */
export function startLive(router: Router): () => void {
  return startRealtime(router, startNotifier(router));
}
