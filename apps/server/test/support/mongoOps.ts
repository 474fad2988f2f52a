import mongoose from 'mongoose';

/** One collection call mongoose made, as its debug hook reports it. */
export interface RecordedOp {
  collection: string;
  method: string;
  filter: Record<string, unknown>;
  options: Record<string, unknown>;
}

const FILTERED = new Set(['find', 'findOne', 'countDocuments', 'distinct', 'updateOne', 'updateMany', 'deleteOne', 'deleteMany', 'findOneAndUpdate']);

/**
 * Records every collection call of every mongoose connection in this test file's process while
 * `run` runs (mongoose's debug hook), so a test can check the queries the stores really send.
 */
export async function recordOps<T>(run: () => Promise<T>): Promise<{ result: T; ops: RecordedOp[] }> {
  const ops: RecordedOp[] = [];
  mongoose.set('debug', (collection: string, method: string, ...args: unknown[]) => {
    const [first, second, third] = args as [Record<string, unknown>?, Record<string, unknown>?, Record<string, unknown>?];
    const isUpdate = method.startsWith('update') || method === 'findOneAndUpdate';
    if (method === 'distinct') {
      // distinct(field, filter, options)
      ops.push({ collection, method, filter: second ?? {}, options: third ?? {} });
      return;
    }
    ops.push({
      collection,
      method,
      filter: FILTERED.has(method) ? (first ?? {}) : {},
      options: (isUpdate ? third : FILTERED.has(method) ? second : undefined) ?? {},
    });
  });
  try {
    return { result: await run(), ops };
  } finally {
    mongoose.set('debug', false);
  }
}

/** The calls that read or change stored documents by a filter (inserts and index builds left out). */
export function filteredOps(ops: readonly RecordedOp[]): RecordedOp[] {
  return ops.filter((op) => FILTERED.has(op.method));
}
