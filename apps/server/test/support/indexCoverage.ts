/**
 * Whether a query can be answered from an index without reading the collection or sorting in
 * memory, by MongoDB's rule for compound indexes: the index starts with fields the query fixes
 * (equality), then holds the sort fields in order (or all reversed), and the range-bounded field
 * comes right after the fixed ones when there is no sort. Other conditions may be checked on the
 * documents the index finds (residual). A `$or` is served when each branch is.
 */

export type IndexKey = Record<string, number>;

export interface QueryShape {
  equality: string[];
  ranges: string[];
  sort: [string, number][];
}

const RANGE_OPERATORS = ['$gt', '$gte', '$lt', '$lte'];

function isOperatorObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date) && Object.keys(value).some((k) => k.startsWith('$'));
}

/** The query's fixed, range-bounded and sorted fields, one shape per `$or` branch. */
export function shapesOf(filter: Record<string, unknown>, sort: Record<string, number> = {}): QueryShape[] {
  const base: QueryShape = { equality: [], ranges: [], sort: Object.entries(sort) };
  let branches: Record<string, unknown>[] = [{}];
  for (const [field, value] of Object.entries(filter)) {
    if (field === '$or') {
      branches = (value as Record<string, unknown>[]).flatMap((branch) => branches.map((b) => ({ ...b, ...branch })));
    } else {
      branches = branches.map((b) => ({ ...b, [field]: value }));
    }
  }
  return branches.map((branch) => {
    const shape: QueryShape = { equality: [], ranges: [], sort: base.sort };
    for (const [field, value] of Object.entries(branch)) {
      if (value === null || value === undefined) continue; // matches absent fields: left to the documents
      if (!isOperatorObject(value)) shape.equality.push(field);
      else if ('$eq' in value && value.$eq !== null) shape.equality.push(field);
      else if ('$in' in value) shape.equality.push(field);
      else if (Object.keys(value).some((k) => RANGE_OPERATORS.includes(k))) shape.ranges.push(field);
    }
    return shape;
  });
}

/** Whether `index` serves the query `shape` (see the rule above). */
export function isServedBy(shape: QueryShape, index: IndexKey): boolean {
  const keys = Object.entries(index);
  let fixed = 0;
  while (fixed < keys.length && shape.equality.includes(keys[fixed]![0])) fixed += 1;
  // No leading fixed field: the index would be walked whole.
  if (fixed === 0) return false;
  const sort = shape.sort.filter(([field]) => !shape.equality.includes(field));
  if (sort.length > 0) {
    const following = keys.slice(fixed, fixed + sort.length);
    if (following.length < sort.length || following.some(([field], i) => field !== sort[i]![0])) return false;
    const sameWay = following.every(([, dir], i) => Math.sign(dir) === Math.sign(sort[i]![1]));
    const reversed = following.every(([, dir], i) => Math.sign(dir) === -Math.sign(sort[i]![1]));
    return sameWay || reversed;
  }
  // A range is walked through the index only if its field follows the fixed ones.
  return shape.ranges.length === 0 || shape.ranges.includes(keys[fixed]?.[0] ?? '');
}

/** The first of `indexes` that serves every branch of the query, or undefined. */
export function servingIndex(filter: Record<string, unknown>, sort: Record<string, number> | undefined, indexes: readonly { name: string; key: IndexKey }[]) {
  const shapes = shapesOf(filter, sort);
  return indexes.find((index) => shapes.every((shape) => isServedBy(shape, index.key)));
}
