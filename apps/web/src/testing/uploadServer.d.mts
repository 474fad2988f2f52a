import type { AttachmentDto } from '@confab/shared';

/** One part of a multipart/form-data body, as the test server read it. */
export interface ReceivedPart {
  name: string;
  filename: string | null;
  bytes: Uint8Array;
}

export interface ReceivedUpload {
  headers: Record<string, string | string[] | undefined>;
  parts: ReceivedPart[];
}

/** What the server does with a request: answer it, leave it unanswered (`hold`), or cut the connection (`drop`). */
export type UploadAnswer = { status: number; body: string; headers?: Record<string, string> } | 'hold' | 'drop';

export interface UploadServer {
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** Every complete request, in order. */
  received: ReceivedUpload[];
  answerWith(next: (upload: ReceivedUpload, index: number) => UploadAnswer): void;
  /** Requests held unanswered. */
  heldCount(): number;
  /** Answers the `index`th held request (the oldest by default) as a stored file. */
  release(index?: number): void;
  /** Answers the `index`th held request with this status and JSON body. */
  releaseAs(index: number, status: number, body: string): void;
  close(): Promise<void>;
}

export function startUploadServer(): Promise<UploadServer>;
export function storedFile(upload: ReceivedUpload, index: number): AttachmentDto;
export function fileDto(id: string, name: string, size: number): AttachmentDto;
/** Moves happy-dom's page to `url`'s origin, so that `/api/files` is same-origin there, as in the app. */
export function pointPageAt(url: string): void;
